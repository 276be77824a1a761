package dev.sieve.annotate;

import dev.sieve.core.util.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the annotation app as its own process.
 *
 * <p>Settings (environment or {@code -Dsieve.*}): {@code SIEVE_HOME} (data/overlays and
 * docs/taxonomy.md live there), {@code SIEVE_DB_URL} (PostgreSQL: {@code jdbc:postgresql://...};
 * unset: SQLite at {@code SIEVE_ANNOTATE_DB_FILE}, default {@code
 * $SIEVE_HOME/.sieve/annotate/annotate.db}), {@code SIEVE_DB_USER} / {@code SIEVE_DB_PASSWORD},
 * {@code SIEVE_ANNOTATE_OVERLAYS_DIR} (where exports go, default {@code
 * $SIEVE_HOME/data/overlays}), {@code SIEVE_BIND_HOST} (default 127.0.0.1), {@code
 * SIEVE_ANNOTATE_HTTP_PORT} (default 8470), {@code SIEVE_GRPC_PORT} (Feedback, default 50070),
 * {@code SIEVE_ANNOTATE_REPORT_OVERLAP} (annotators per report, default 2), {@code
 * SIEVE_ANNOTATE_SECURE_COOKIES} (true behind TLS), {@code SIEVE_ANNOTATE_ADMIN} (first admin's
 * name, default admin), {@code SIEVE_ANNOTATE_FIRST_ADMIN_FILE} (where to hand the first admin's
 * password to {@code ./sieve up} instead of printing it).
 *
 * <p>On the first start (no account yet) it creates the admin account and prints its password once
 * on standard output, in a line starting {@code FIRST ADMIN ACCOUNT}; only the Argon2id hash is
 * kept.
 */
public final class AnnotateMain {

  private static final Logger log = LoggerFactory.getLogger(AnnotateMain.class);
  public static final int DEFAULT_HTTP_PORT = 8470;
  public static final int DEFAULT_GRPC_PORT = 50070;

  private AnnotateMain() {}

  private static void writeOwnerOnly(Path file, String content) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException(
          "cannot write the first admin's password to " + file + ": " + e.getMessage(), e);
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", "."));
    Database db =
        Settings.get("SIEVE_DB_URL")
            .map(
                url ->
                    Database.connect(
                        url,
                        Settings.get("SIEVE_DB_USER", null),
                        Settings.get("SIEVE_DB_PASSWORD", null)))
            .orElseGet(
                () ->
                    Database.sqlite(
                        Path.of(
                            Settings.get(
                                "SIEVE_ANNOTATE_DB_FILE",
                                home.resolve(".sieve/annotate/annotate.db").toString()))));
    // The first admin exists before the app answers /healthz: ./sieve up reads the hand-over file
    // then.
    String adminName = Settings.get("SIEVE_ANNOTATE_ADMIN", "admin");
    Optional<String> handOver = Settings.get("SIEVE_ANNOTATE_FIRST_ADMIN_FILE");
    AnnotateApp.bootstrapAdmin(new Accounts(db, Clock.systemUTC()), adminName)
        .ifPresent(
            password -> {
              String line = "user " + adminName + " password " + password;
              if (handOver.isPresent()) {
                // ./sieve up prints it once and deletes the file: the password never lands in a
                // log.
                writeOwnerOnly(Path.of(handOver.get()), line);
                System.out.println(
                    "FIRST ADMIN ACCOUNT created: user "
                        + adminName
                        + "; its password was handed to ./sieve up");
              } else {
                System.out.println(
                    "FIRST ADMIN ACCOUNT: "
                        + line
                        + "  (shown once; stored only as an Argon2id hash: write it down now)");
              }
              System.out.flush();
            });
    AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                db,
                Path.of(
                    Settings.get(
                        "SIEVE_ANNOTATE_OVERLAYS_DIR", home.resolve("data/overlays").toString())),
                home.resolve("docs/taxonomy.md"),
                Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
                Settings.getInt("SIEVE_ANNOTATE_HTTP_PORT", DEFAULT_HTTP_PORT),
                Settings.getInt("SIEVE_GRPC_PORT", DEFAULT_GRPC_PORT),
                Settings.getInt("SIEVE_ANNOTATE_REPORT_OVERLAP", 2),
                Boolean.parseBoolean(Settings.get("SIEVE_ANNOTATE_SECURE_COOKIES", "false")),
                Clock.systemUTC()));
    log.info(
        "annotate: web http://{}:{}/ , Feedback gRPC on port {}, database {}",
        Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
        app.httpPort(),
        app.grpcPort(),
        db.description());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "annotate-shutdown"));
    stopped.await();
  }
}
