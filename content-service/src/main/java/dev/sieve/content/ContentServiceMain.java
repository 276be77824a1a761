package dev.sieve.content;

import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.content.serve.ContentTierScorer;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.limit.ConcurrencyLimitServerInterceptor;
import dev.sieve.core.limit.ConcurrencyLimitSettings;
import dev.sieve.core.scoring.DeferredScorer;
import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.core.util.Settings;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the content tier as a gRPC {@code sieve.v1.Scorer} service.
 *
 * <p>Settings (environment or -D, see {@link Settings}): SIEVE_HOME (repo root holding models/,
 * default "."), SIEVE_CONTENT_MODEL_DIR (a model version directory; default {@code
 * $SIEVE_HOME/models/content-minilm-mlp/<RELEASED>}), SIEVE_GRPC_PORT (50053), SIEVE_METRICS_PORT
 * (9093, -1 = off), SIEVE_BIND_HOST (127.0.0.1), SIEVE_DEVICE (cpu|gpu, default cpu),
 * SIEVE_CONTENT_ENCODER_SESSIONS (0 = one per core), batching (see {@link
 * BatcherConfig#fromSettings()}), limits (see {@link ExtractionLimits#fromSettings(int)}).
 *
 * <p>Start-up order: bind the port with health NOT_SERVING, load encoder + head, run a warm-up
 * batch, then mark SERVING. SIGTERM flips health to NOT_SERVING and drains in-flight calls.
 */
public final class ContentServiceMain {

  private static final Logger log = LoggerFactory.getLogger(ContentServiceMain.class);

  /** Request fields besides the body (url, ids, categories) need far less than this. */
  static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

  /**
   * Gradient2 from 32 calls in flight, between 16 (one full batch, so the encoder is never starved
   * by the limit) and 256 (twice the queue).
   */
  static final ConcurrencyLimitSettings DEFAULT_CONCURRENCY_LIMIT =
      ConcurrencyLimitSettings.gradient2(32, 16, 256);

  private ContentServiceMain() {}

  public static void main(String[] args) throws Exception {
    Running running = start();
    running.installShutdownHook(
        Duration.ofSeconds(Settings.getInt("SIEVE_SHUTDOWN_DRAIN_SECONDS", 10)));
    running.server().awaitTermination();
  }

  /** A started service: the server (SERVING), the tier behind it and its telemetry. */
  public record Running(GrpcServerLauncher server, ContentTier tier, Telemetry telemetry)
      implements AutoCloseable {

    void installShutdownHook(Duration drain) {
      server.installShutdownHook(
          drain,
          () -> {
            tier.close();
            telemetry.close();
          });
    }

    /** Graceful stop: NOT_SERVING, drain, then release the model. */
    @Override
    public void close() {
      server.shutdownGracefully(Duration.ofSeconds(5));
      tier.close();
      telemetry.close();
    }
  }

  /**
   * Binds the port (health NOT_SERVING), loads and warms the model, then marks SERVING. Settings
   * are read from the environment / system properties (see the class comment).
   */
  public static Running start() throws Exception {
    String device = Settings.get("SIEVE_DEVICE", "cpu").toLowerCase(Locale.ROOT);
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw new IllegalArgumentException("SIEVE_DEVICE must be cpu or gpu, got '" + device + "'");
    }
    Path home = Path.of(Settings.get("SIEVE_HOME", "."));
    Path modelDir =
        Settings.get("SIEVE_CONTENT_MODEL_DIR")
            .map(Path::of)
            .orElseGet(
                () ->
                    ContentModel.releasedVersion(
                        home.resolve("models").resolve(ContentTier.MODEL_NAME)));
    ExtractionLimits limits =
        ExtractionLimits.fromSettings(ExtractionLimits.DEFAULT_WORDS_PER_CHUNK);
    BatcherConfig batcher = BatcherConfig.fromSettings();
    String host = Settings.get("SIEVE_BIND_HOST", "127.0.0.1");

    Telemetry telemetry = Telemetry.create("content-service");
    GrpcServerLauncher.Builder builder =
        GrpcServerLauncher.builder("content-service")
            .host(host)
            .port(Settings.getInt("SIEVE_GRPC_PORT", 50053))
            .secure(
                ServerSecurity.fromEnvironment(
                    "content-service", host, ServerSecurity.Role.INTERNAL))
            .maxInboundMessageBytes(maxInboundMessageBytes(limits));
    for (ServerInterceptor interceptor : telemetry.serverInterceptors()) {
      builder.intercept(interceptor);
    }
    // Inside telemetry (refusals are counted and traced), outside the scorer: a call over the
    // adaptive limit is refused before its page is parsed; deadline admission then decides, for
    // the calls within the limit, whether each one can finish in time (docs/reliability.md).
    Optional<ConcurrencyLimitServerInterceptor> limit =
        ConcurrencyLimitServerInterceptor.forScorer(
            "content-service", DEFAULT_CONCURRENCY_LIMIT, telemetry.meterRegistry());
    limit.ifPresent(builder::intercept);
    // The port is bound first (health answers NOT_SERVING while the model loads), so the service is
    // registered through a holder that the loaded tier fills in.
    DeferredScorer deferred = new DeferredScorer(ContentTierScorer.TIER);
    GrpcServerLauncher server = builder.addService(new ScorerService(deferred)).build().start();
    ContentTier tier;
    try {
      telemetry.startMetricsServer(host, Settings.getInt("SIEVE_METRICS_PORT", 9093));
      tier =
          ContentTier.open(
              new ContentTier.Options(
                  modelDir,
                  device.equals("gpu"),
                  Settings.getInt("SIEVE_CONTENT_ENCODER_SESSIONS", 0),
                  batcher,
                  limits));
    } catch (RuntimeException e) {
      server.shutdownGracefully(Duration.ZERO);
      telemetry.close();
      throw e;
    }
    try {
      tier.warmUp();
    } catch (Exception e) {
      server.shutdownGracefully(Duration.ZERO);
      tier.close();
      telemetry.close();
      throw e;
    }
    deferred.set(tier.scorer());
    bindMetrics(telemetry.meterRegistry(), tier.scorer());
    telemetry.registerModelInfo(ContentTierScorer.TIER, tier.scorer().modelInfo());
    server.markServing();
    log.info(
        "content-service ready on port {} (model {}, batching max {} / {} ms, queue {}, deadline admission {}, concurrency limit {})",
        server.port(),
        tier.scorer().modelInfo().getVersion(),
        batcher.maxBatchSize(),
        batcher.maxQueueDelay().toMillis(),
        batcher.queueCapacity(),
        batcher.deadlineAdmission(),
        limit.map(l -> l.limiter().settings().toString()).orElse("off"));
    return new Running(server, tier, telemetry);
  }

  /**
   * The server's inbound message limit: the body limit plus room for the other request fields, so a
   * body over the limit is refused by gRPC itself (RESOURCE_EXHAUSTED) before it is buffered whole,
   * and a body at the limit still reaches the scorer.
   */
  static int maxInboundMessageBytes(ExtractionLimits limits) {
    return limits.maxBodyBytes() + MESSAGE_OVERHEAD_BYTES;
  }

  /** Batcher and model-time metrics next to core's per-RPC metrics. */
  static void bindMetrics(MeterRegistry registry, ContentTierScorer scorer) {
    var batcher = scorer.batcher();
    var stats = batcher.stats();
    Gauge.builder("sieve.content.queue.depth", batcher, b -> b.queueDepth())
        .description("Requests waiting for a batch")
        .register(registry);
    FunctionCounter.builder("sieve.content.rejected", stats, s -> s.rejected())
        .description("Requests refused because the batch queue was full (RESOURCE_EXHAUSTED)")
        .register(registry);
    FunctionCounter.builder("sieve.content.expired", stats, s -> s.expired())
        .description("Requests dropped because their deadline expired before compute")
        .register(registry);
    FunctionCounter.builder("sieve.content.shed", stats, s -> s.shed())
        .description(
            "Requests refused at admission: remaining deadline shorter than the expected wait + "
                + "service time (RESOURCE_EXHAUSTED)")
        .register(registry);
    FunctionCounter.builder("sieve.content.unfinishable", stats, s -> s.unfinishable())
        .description(
            "Requests dropped when their batch was formed: less time left than the batch's "
                + "estimated time (DEADLINE_EXCEEDED, never encoded)")
        .register(registry);
    FunctionCounter.builder("sieve.content.late", stats, s -> s.late())
        .description("Requests encoded but finished after their deadline (wasted work)")
        .register(registry);
    Gauge.builder("sieve.content.unit.seconds", batcher, b -> b.estimator().nanosPerUnit() / 1e9)
        .description("Learned batch time per encoder chunk that admission uses")
        .register(registry);
    FunctionCounter.builder("sieve.content.batches", stats, s -> s.batches())
        .description("Batches run through the encoder")
        .register(registry);
    FunctionCounter.builder("sieve.content.batched.requests", stats, s -> s.computed())
        .description("Requests scored as part of a batch")
        .register(registry);
    var timings = scorer.timings();
    FunctionCounter.builder("sieve.content.encoder.seconds", timings, t -> t.encoderNanos() / 1e9)
        .description("Time spent in the sentence encoder")
        .register(registry);
    FunctionCounter.builder("sieve.content.head.seconds", timings, t -> t.headNanos() / 1e9)
        .description("Time spent in the DJL head")
        .register(registry);
    FunctionCounter.builder("sieve.content.chunks", timings, t -> t.chunks())
        .description("Text chunks encoded (a long page is split into several)")
        .register(registry);
  }
}
