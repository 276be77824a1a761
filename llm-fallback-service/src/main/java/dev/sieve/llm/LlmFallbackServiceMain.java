package dev.sieve.llm;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.limit.ConcurrencyLimitServerInterceptor;
import dev.sieve.core.limit.ConcurrencyLimitSettings;
import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.core.util.Settings;
import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CatalogWatcher;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryConfigException;
import dev.sieve.llm.embedded.EmbeddedModel;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.input.InputRenderer;
import dev.sieve.llm.openai.ChatCompletionsClient;
import dev.sieve.llm.openai.OpenAiBackend;
import dev.sieve.llm.openai.OpenAiSettings;
import dev.sieve.llm.openai.TokenBudget;
import io.micrometer.core.instrument.FunctionCounter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the llm-fallback-service: the "llm" tier as a gRPC {@code sieve.v1.Scorer}.
 *
 * <p>Settings (env or {@code -D}, see {@link Settings}):
 *
 * <ul>
 *   <li>{@code SIEVE_GRPC_PORT} = 50054, {@code SIEVE_BIND_HOST} = 127.0.0.1, {@code SIEVE_HOME} =
 *       .
 *   <li>{@code SIEVE_LLM_BACKEND} = embedded | openai (openai settings: {@link OpenAiSettings}).
 *   <li>{@code SIEVE_LLM_CATEGORIES_DIR} = $SIEVE_HOME/config/categories (hot reloaded, polled
 *       every {@code SIEVE_LLM_CATEGORIES_POLL_MS} = 2000); without it the copy packaged in the jar
 *       is served, without reload.
 *   <li>{@code SIEVE_LLM_CALIBRATION} = the calibration.json of the version named by
 *       $SIEVE_HOME/models/llm-zero-shot/RELEASED; absent = the documented default mapping. The
 *       evaluation standard's thresholds.json next to it aligns the scores (see {@link
 *       EmbeddedModel}); an invalid one stops the start.
 *   <li>{@code SIEVE_LLM_MAX_CHUNKS} = 12 (chunks of 80 words scored per page), {@code
 *       SIEVE_LLM_EMBEDDED_MAX_IN_FLIGHT} = 8, {@code SIEVE_LLM_DEFAULT_BUDGET_MS} = 10000 (time
 *       allowed when the caller sets no deadline).
 * </ul>
 *
 * Health turns SERVING only after the encoder is loaded, the prototypes are embedded and one
 * warm-up request has been scored.
 */
public final class LlmFallbackServiceMain {

  private static final Logger log = LoggerFactory.getLogger(LlmFallbackServiceMain.class);

  /**
   * Gradient2 from 16 calls in flight, between 4 and 64 (the router's bulkhead for this tier). The
   * embedded backend's own semaphore (SIEVE_LLM_EMBEDDED_MAX_IN_FLIGHT, 8) still refuses at once
   * what it cannot run now; the limit also covers the OpenAI backend, which has no such cap.
   */
  static final ConcurrencyLimitSettings DEFAULT_CONCURRENCY_LIMIT =
      ConcurrencyLimitSettings.gradient2(16, 4, 64);

  private LlmFallbackServiceMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", "."));
    int port = Settings.getInt("SIEVE_GRPC_PORT", 50054);
    String host = Settings.get("SIEVE_BIND_HOST", "127.0.0.1");

    EmbeddingBackend embedded =
        EmbeddedModel.backend(
            EmbeddedModel.scorer(maxChunks(), null),
            calibrationFile(home),
            EmbeddedModel.Scale.SERVED,
            Settings.getInt("SIEVE_LLM_EMBEDDED_MAX_IN_FLIGHT", 8));
    ScoringBackend backend = chooseBackend(embedded);

    Path categoriesDir = categoriesDir(home);
    Supplier<CategoryCatalog> catalog;
    CatalogWatcher watcher = null;
    if (CatalogLoader.isCategoryDirectory(categoriesDir)) {
      CategoryCatalog initial = CatalogLoader.fromDirectory(categoriesDir);
      backend.prepare(initial);
      watcher = new CatalogWatcher(categoriesDir, initial, backend::prepare);
      catalog = watcher;
    } else {
      log.warn(
          "no category files in {}; serving the copy packaged in the jar (no hot reload)",
          categoriesDir);
      CategoryCatalog packaged = loadPackaged();
      backend.prepare(packaged);
      catalog = () -> packaged;
    }
    log.info(
        "categories {} from {}: {}",
        catalog.get().version(),
        catalog.get().origin(),
        catalog.get().ids());

    LlmTierScorer scorer =
        new LlmTierScorer(catalog, backend, new InputRenderer(), defaultBudget());
    // Warm-up through the embedded path (always present): loads ONNX kernels before SERVING.
    embedded.warmUp(catalog.get());

    Telemetry telemetry = Telemetry.create("llm-fallback-service");
    GrpcServerLauncher.Builder builder =
        GrpcServerLauncher.builder("llm-fallback-service")
            .host(host)
            .port(port)
            .secure(
                ServerSecurity.fromEnvironment(
                    "llm-fallback-service", host, ServerSecurity.Role.INTERNAL))
            .telemetry(telemetry);
    // Inside telemetry, outside the scorer: over the adaptive limit a call is refused before any
    // work; within it, the backend's own time-budget check still sheds what cannot finish in time.
    Optional<ConcurrencyLimitServerInterceptor> limit =
        ConcurrencyLimitServerInterceptor.forScorer(
            "llm-fallback-service", DEFAULT_CONCURRENCY_LIMIT, telemetry.meterRegistry());
    limit.ifPresent(builder::intercept);
    GrpcServerLauncher server = builder.addService(new ScorerService(scorer)).build().start();
    telemetry.startMetricsServer(host, Settings.getInt("SIEVE_METRICS_PORT", 9094));
    FunctionCounter.builder("sieve.llm.shed", embedded, EmbeddingBackend::shed)
        .description(
            "Requests the embedded backend refused before any work: time budget shorter than a "
                + "request currently takes (RESOURCE_EXHAUSTED) or already spent (DEADLINE_EXCEEDED)")
        .register(telemetry.meterRegistry());
    telemetry.registerModelInfo("llm", backend.modelInfo(catalog.get()));
    CatalogWatcher watcherRef = watcher;
    if (watcher != null) {
      watcher.start(Duration.ofMillis(Settings.getLong("SIEVE_LLM_CATEGORIES_POLL_MS", 2000)));
    }
    server.installShutdownHook(
        GrpcServerLauncher.configuredDrainTimeout(),
        () -> {
          if (watcherRef != null) {
            watcherRef.close();
          }
          telemetry.close();
        });
    server.markServing();
    log.info(
        "llm tier serving on {}:{} with the {} backend ({}), concurrency limit {}",
        host,
        server.port(),
        backend.name(),
        backend.modelInfo(catalog.get()).getVersion(),
        limit.map(l -> l.limiter().settings().toString()).orElse("off"));
    server.awaitTermination();
  }

  static ScoringBackend chooseBackend(EmbeddingBackend embedded) {
    String choice = Settings.get("SIEVE_LLM_BACKEND", "embedded");
    return switch (choice) {
      case "embedded" -> embedded;
      case "openai" -> {
        OpenAiSettings settings = OpenAiSettings.fromEnvironment();
        log.info("openai backend: {}", settings);
        yield new OpenAiBackend(
            settings,
            new ChatCompletionsClient(settings),
            embedded,
            new TokenBudget(settings.dailyTokenBudget(), Clock.systemUTC()));
      }
      default ->
          throw new IllegalArgumentException(
              "SIEVE_LLM_BACKEND must be 'embedded' or 'openai', got '" + choice + "'");
    };
  }

  /**
   * Chunks scored per page ({@code SIEVE_LLM_MAX_CHUNKS}); the offline evaluation uses the same.
   */
  public static int maxChunks() {
    return Settings.getInt("SIEVE_LLM_MAX_CHUNKS", EmbeddedModel.DEFAULT_MAX_CHUNKS);
  }

  /** Time allowed for a request without a deadline ({@code SIEVE_LLM_DEFAULT_BUDGET_MS}). */
  public static Duration defaultBudget() {
    return Duration.ofMillis(Settings.getLong("SIEVE_LLM_DEFAULT_BUDGET_MS", 10_000));
  }

  /** {@code SIEVE_LLM_CATEGORIES_DIR}, default {@code <home>/config/categories}. */
  public static Path categoriesDir(Path home) {
    return Path.of(
        Settings.get("SIEVE_LLM_CATEGORIES_DIR", home.resolve("config/categories").toString()));
  }

  /**
   * The categories served from {@code dir}, or the copy packaged in the jar when {@code dir} holds
   * no category files.
   */
  public static CategoryCatalog catalog(Path dir) throws CategoryConfigException {
    return CatalogLoader.isCategoryDirectory(dir)
        ? CatalogLoader.fromDirectory(dir)
        : loadPackaged();
  }

  /** {@code SIEVE_LLM_CALIBRATION}, else the released version's calibration.json; empty = none. */
  static Optional<Path> calibrationFile(Path home) {
    Optional<String> explicit = Settings.get("SIEVE_LLM_CALIBRATION");
    if (explicit.isPresent()) {
      return Optional.of(Path.of(explicit.get()));
    }
    Path root = EmbeddedModel.modelRoot(home);
    Optional<Path> released = EmbeddedModel.releasedVersion(root);
    if (released.isEmpty()) {
      log.warn(
          "no {}: scores use the documented default calibration mapping", root.resolve("RELEASED"));
    }
    return released.map(dir -> dir.resolve(EmbeddedModel.CALIBRATION));
  }

  private static CategoryCatalog loadPackaged() {
    try {
      return CatalogLoader.fromClasspath();
    } catch (CategoryConfigException e) {
      throw new IllegalStateException("packaged category files are invalid: " + e.getMessage(), e);
    }
  }
}
