package dev.sieve.annotate;

import dev.sieve.core.util.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the annotation app as its own process.
 *
 * <p>Settings (environment or {@code -Dsieve.*}): {@code SIEVE_HOME} (data/overlays and
 * docs/taxonomy.md live there), {@code SIEVE_DB_URL} (PostgreSQL: {@code jdbc:postgresql://...};
 * unset: SQLite at {@code SIEVE_ANNOTATE_DB_FILE}, default {@code $SIEVE_HOME/.sieve/annotate/annotate.db}),
 * {@code SIEVE_DB_USER} / {@code SIEVE_DB_PASSWORD}, {@code SIEVE_BIND_HOST} (default 127.0.0.1),
 * {@code SIEVE_ANNOTATE_HTTP_PORT} (default 8470), {@code SIEVE_GRPC_PORT} (Feedback, default 50070),
 * {@code SIEVE_ANNOTATE_REPORT_OVERLAP} (annotators per report, default 2),
 * {@code SIEVE_ANNOTATE_SECURE_COOKIES} (true behind TLS), {@code SIEVE_ANNOTATE_ADMIN} (first
 * admin's name, default admin).
 *
 * <p>On the first start (no account yet) it creates the admin account and prints its password once
 * on standard output, in a line starting {@code FIRST ADMIN ACCOUNT}; only the Argon2id hash is kept.
 */
public final class AnnotateMain {

  private static final Logger log = LoggerFactory.getLogger(AnnotateMain.class);
  public static final int DEFAULT_HTTP_PORT = 8470;
  public static final int DEFAULT_GRPC_PORT = 50070;

  private AnnotateMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", "."));
    Database db = Settings.get("SIEVE_DB_URL")
        .map(url -> Database.connect(url, Settings.get("SIEVE_DB_USER", null), Settings.get("SIEVE_DB_PASSWORD", null)))
        .orElseGet(() -> Database.sqlite(Path.of(Settings.get("SIEVE_ANNOTATE_DB_FILE", home.resolve(".sieve/annotate/annotate.db").toString()))));
    AnnotateApp app = AnnotateApp.start(new AnnotateApp.Config(
        db,
        home.resolve("data/overlays"),
        home.resolve("docs/taxonomy.md"),
        Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
        Settings.getInt("SIEVE_ANNOTATE_HTTP_PORT", DEFAULT_HTTP_PORT),
        Settings.getInt("SIEVE_GRPC_PORT", DEFAULT_GRPC_PORT),
        Settings.getInt("SIEVE_ANNOTATE_REPORT_OVERLAP", 2),
        Boolean.parseBoolean(Settings.get("SIEVE_ANNOTATE_SECURE_COOKIES", "false")),
        Clock.systemUTC()));
    String adminName = Settings.get("SIEVE_ANNOTATE_ADMIN", "admin");
    app.bootstrapAdmin(adminName).ifPresent(password -> {
      System.out.println("FIRST ADMIN ACCOUNT: user " + adminName + " password " + password
          + "  (shown once; stored only as an Argon2id hash: write it down now)");
      System.out.flush();
    });
    log.info("annotate: web http://{}:{}/ , Feedback gRPC on port {}, database {}", Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
        app.httpPort(), app.grpcPort(), db.description());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "annotate-shutdown"));
    stopped.await();
  }
}
