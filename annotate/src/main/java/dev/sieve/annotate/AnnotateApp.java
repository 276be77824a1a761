package dev.sieve.annotate;

import dev.sieve.core.grpc.GrpcServerLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The annotation app assembled: database, services, web server and the Feedback gRPC server. One
 * object so that {@link AnnotateMain} and the tests start exactly the same thing.
 */
public final class AnnotateApp implements AutoCloseable {

  /** How to start. Ports 0 = any free port (tests). */
  public record Config(
      Database database,
      Path overlaysDir,
      Path taxonomyDoc,
      String bindHost,
      int httpPort,
      int grpcPort,
      int reportOverlap,
      boolean secureCookies,
      Clock clock) {}

  private final Config config;
  private final Database db;
  private final Accounts accounts;
  private final Queues queues;
  private final Labelling labelling;
  private final Overrides overrides;
  private final OverlayExport export;
  private final Guidelines guidelines;
  private final WebApp web;
  private GrpcServerLauncher grpc;

  private AnnotateApp(Config config) {
    this.config = config;
    this.db = config.database();
    this.accounts = new Accounts(db, config.clock());
    this.queues = new Queues(db, config.clock());
    this.labelling = new Labelling(db, config.clock());
    this.overrides = new Overrides(db, config.clock());
    this.export = new OverlayExport(db, config.clock(), config.overlaysDir());
    this.guidelines = Guidelines.load(config.taxonomyDoc());
    this.web = new WebApp(this, config.secureCookies());
  }

  public static AnnotateApp start(Config config) throws IOException {
    AnnotateApp app = new AnnotateApp(config);
    try {
      // gRPC first, the web last: /healthz answering means both serve.
      app.grpc =
          GrpcServerLauncher.builder("annotate")
              .host(config.bindHost())
              .port(config.grpcPort())
              .addService(
                  new FeedbackService(
                      app.db, app.queues, app.overrides, config.clock(), config.reportOverlap()))
              .build()
              .start();
      app.grpc.markServing();
      app.web.start(config.bindHost(), config.httpPort());
    } catch (IOException | RuntimeException e) {
      app.close();
      throw e;
    }
    return app;
  }

  /**
   * Creates the first admin account when there is none and returns its password (shown once, stored
   * only as an Argon2id hash); empty when accounts exist.
   */
  public Optional<String> bootstrapAdmin(String username) {
    return bootstrapAdmin(accounts, username);
  }

  /** The same, before the app starts serving (so that "ready" implies the account exists). */
  public static Optional<String> bootstrapAdmin(Accounts accounts, String username) {
    if (!accounts.isEmpty()) {
      return Optional.empty();
    }
    String password = Passwords.generate();
    accounts.create(username, password, Accounts.Role.ADMIN, null);
    return Optional.of(password);
  }

  public int httpPort() {
    return web.port();
  }

  public int grpcPort() {
    return grpc.port();
  }

  Database db() {
    return db;
  }

  public Accounts accounts() {
    return accounts;
  }

  public Queues queues() {
    return queues;
  }

  public Labelling labelling() {
    return labelling;
  }

  public Overrides overrides() {
    return overrides;
  }

  public OverlayExport export() {
    return export;
  }

  Guidelines guidelines() {
    return guidelines;
  }

  Clock clock() {
    return config.clock();
  }

  @Override
  public void close() {
    if (grpc != null) {
      grpc.shutdownGracefully(Duration.ofSeconds(2));
    }
    if (web.started()) {
      web.stop();
    }
    overrides.close();
    db.close();
  }
}
