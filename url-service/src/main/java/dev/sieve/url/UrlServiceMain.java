package dev.sieve.url;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.scoring.DeferredScorer;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.core.util.Settings;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.UrlModel;
import dev.sieve.url.table.KnownDomainTableLoader;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the url tier as a gRPC {@code sieve.v1.Scorer} server.
 *
 * <p>Lifecycle: bind the port with health NOT_SERVING, load the known-domain table of the current
 * dataset version and the released lexical model, warm both up on a few URLs, then mark SERVING;
 * SIGTERM flips health to NOT_SERVING and drains in-flight calls before exit. The model decides at
 * the thresholds its standard model card measured ({@code thresholds.json} in the version
 * directory, written by {@code ./sieve eval run --tier url}); without that file it falls back to
 * the trainer's thresholds with a warning, and an invalid one stops the start with the reason.
 *
 * <p>Settings (system property or environment, see {@link Settings}):
 *
 * <ul>
 *   <li>{@code SIEVE_HOME}: repository root holding {@code data/} and {@code models/} (default:
 *       cwd)
 *   <li>{@code SIEVE_GRPC_PORT}: default 50052; {@code SIEVE_METRICS_PORT}: Prometheus {@code
 *       /metrics}, default 9092; {@code SIEVE_BIND_HOST}: default 127.0.0.1
 *   <li>{@code SIEVE_SHUTDOWN_DRAIN_SECONDS}: in-flight drain on SIGTERM, default 10
 *   <li>{@code SIEVE_URL_MODEL_DIR}: a model version directory to serve instead of {@code
 *       models/url-lexical/RELEASED}; the value {@code none} serves the table alone
 *   <li>{@code SIEVE_URL_TABLE_SNAPSHOT_DIR}: where the compiled table is cached between restarts
 *       (default {@code java.io.tmpdir/sieve-url-table}); a stale or unreadable snapshot is rebuilt
 *   <li>{@code SIEVE_URL_TABLE_EXCLUDED_FLAGS}: comma-separated dataset noise flags whose records
 *       are not authoritative table entries (default: none)
 * </ul>
 */
public final class UrlServiceMain {

  private static final Logger log = LoggerFactory.getLogger(UrlServiceMain.class);

  /**
   * Default noise flags excluded from the authoritative table: none, because the data pipeline
   * already withholds noisy-list labels on popular and infrastructure hosts (rule N1) and keeps the
   * labels that a reliable list corroborates; excluding whole flagged records would drop those too.
   */
  public static final String DEFAULT_EXCLUDED_FLAGS = "";

  static final List<String> WARMUP_URLS =
      List.of(
          "http://example.com/",
          "https://www.pokerstars.com/poker/",
          "http://freecasinobonus.net/?ref=1",
          "https://sub.domain.example.co.uk:8443/a/b/c?x=1&y=2",
          "http://192.168.1.10/admin",
          "http://[2001:db8::1]/",
          "https://xn--bcher-kva.example/",
          "http://user@school.edu@evil.example/");

  private UrlServiceMain() {}

  /** A running url service: the server, what it serves, and its telemetry. */
  public record Running(
      GrpcServerLauncher server, UrlTierScorer scorer, Telemetry telemetry, int metricsPort) {
    public int port() {
      return server.port();
    }

    /** Graceful stop: health NOT_SERVING, drain, then close telemetry (metrics endpoint). */
    public void stop(Duration drain) {
      server.shutdownGracefully(drain);
      telemetry.close();
    }
  }

  public static void main(String[] args) throws Exception {
    String host = Settings.get("SIEVE_BIND_HOST", "127.0.0.1");
    Running running =
        start(
            Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize(),
            host,
            Settings.getInt("SIEVE_GRPC_PORT", 50052),
            Settings.getInt("SIEVE_METRICS_PORT", 9092));
    running
        .server()
        .installShutdownHook(
            Duration.ofSeconds(Settings.getInt("SIEVE_SHUTDOWN_DRAIN_SECONDS", 10)),
            running.telemetry()::close);
    running.server().awaitTermination();
  }

  /** Starts with the metrics endpoint disabled (tests, tools). */
  public static Running start(Path home, String host, int port) throws IOException {
    return start(home, host, port, -1);
  }

  /**
   * Starts the server (NOT_SERVING), loads table and model, warms up and marks SERVING.
   *
   * @param home the directory holding {@code data/} and {@code models/}
   * @param host interface to bind
   * @param port gRPC port, 0 for an ephemeral port
   * @param metricsPort Prometheus {@code /metrics} port, 0 ephemeral, negative disabled
   */
  public static Running start(Path home, String host, int port, int metricsPort)
      throws IOException {
    long t0 = System.nanoTime();
    Telemetry telemetry = Telemetry.create("url-service");
    DeferredScorer delegate = new DeferredScorer(UrlTierScorer.TIER);
    GrpcServerLauncher.Builder builder =
        GrpcServerLauncher.builder("url-service")
            .host(host)
            .port(port)
            .secure(
                ServerSecurity.fromEnvironment("url-service", host, ServerSecurity.Role.INTERNAL))
            .maxInboundMessageBytes(
                64 * 1024); // a url tier request is a URL (<= 8 KiB) and a few ids
    for (ServerInterceptor interceptor : telemetry.serverInterceptors()) {
      builder.intercept(interceptor);
    }
    GrpcServerLauncher server = builder.addService(new ScorerService(delegate)).build().start();
    try {
      var metrics = telemetry.startMetricsServer(host, metricsPort);
      UrlTierScorer scorer = load(home);
      delegate.set(scorer);
      warmUp(scorer);
      telemetry.registerModelInfo(UrlTierScorer.TIER, scorer.modelInfo());
      server.markServing();
      log.info(
          "url-service ready in {} ms: {}",
          (System.nanoTime() - t0) / 1_000_000,
          scorer.modelInfo());
      return new Running(server, scorer, telemetry, metrics == null ? -1 : metrics.getPort());
    } catch (RuntimeException | Error e) {
      server.shutdownGracefully(Duration.ZERO);
      telemetry.close();
      throw e;
    }
  }

  /** Loads the known-domain table of the current dataset version and the released model. */
  public static UrlTierScorer load(Path home) {
    DatasetVersion dataset = DatasetVersion.current(home.resolve("data").resolve("datasets"));
    Set<String> excluded =
        new LinkedHashSet<>(
            Arrays.stream(
                    Settings.get("SIEVE_URL_TABLE_EXCLUDED_FLAGS", DEFAULT_EXCLUDED_FLAGS)
                        .split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList());
    Path snapshots =
        Settings.get("SIEVE_URL_TABLE_SNAPSHOT_DIR")
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "sieve-url-table"));
    LoadedTable table = KnownDomainTableLoader.forServing(excluded, snapshots).load(dataset);
    UrlModel model = loadModel(home).orElse(null);
    if (model == null) {
      log.warn(
          "no released url model under {}: serving the known-domain table alone",
          home.resolve("models"));
    }
    return new UrlTierScorer(table, model);
  }

  private static Optional<UrlModel> loadModel(Path home) {
    Optional<String> explicit = Settings.get("SIEVE_URL_MODEL_DIR");
    if (explicit.isPresent()) {
      if (explicit.get().equalsIgnoreCase("none")) {
        return Optional.empty();
      }
      return Optional.of(LexicalUrlModel.load(home.resolve(explicit.get())));
    }
    return LexicalUrlModel.loadReleased(home.resolve("models").resolve(LexicalUrlModel.NAME))
        .map(m -> m);
  }

  private static void warmUp(UrlTierScorer scorer) {
    long t0 = System.nanoTime();
    int scored = 0;
    for (int round = 0; round < 200; round++) {
      for (String url : WARMUP_URLS) {
        try {
          scorer.score(ScoreRequest.newBuilder().setUrl(url).build());
          scored++;
        } catch (ScoringException e) {
          throw new IllegalStateException(
              "warm-up URL rejected: " + url + ": " + e.getMessage(), e);
        }
      }
    }
    log.info("warmed up on {} requests in {} ms", scored, (System.nanoTime() - t0) / 1_000_000);
  }
}
