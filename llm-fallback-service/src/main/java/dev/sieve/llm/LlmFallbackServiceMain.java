package dev.sieve.llm;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.util.Settings;
import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CatalogWatcher;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryConfigException;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.embedded.MiniLmSentenceEncoder;
import dev.sieve.llm.embedded.TextChunker;
import dev.sieve.llm.embedded.ZeroShotScorer;
import dev.sieve.llm.input.InputRenderer;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.llm.openai.ChatCompletionsClient;
import dev.sieve.llm.openai.OpenAiBackend;
import dev.sieve.llm.openai.OpenAiSettings;
import dev.sieve.llm.openai.TokenBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * <ul>
 *   <li>{@code SIEVE_GRPC_PORT} = 50054, {@code SIEVE_BIND_HOST} = 127.0.0.1, {@code SIEVE_HOME} = .
 *   <li>{@code SIEVE_LLM_BACKEND} = embedded | openai (openai settings: {@link OpenAiSettings}).
 *   <li>{@code SIEVE_LLM_CATEGORIES_DIR} = $SIEVE_HOME/config/categories (hot reloaded, polled every
 *       {@code SIEVE_LLM_CATEGORIES_POLL_MS} = 2000); without it the copy packaged in the jar is
 *       served, without reload.
 *   <li>{@code SIEVE_LLM_CALIBRATION} = the calibration.json of the version named by
 *       $SIEVE_HOME/models/llm-zero-shot/RELEASED; absent = the documented default mapping.
 *   <li>{@code SIEVE_LLM_MAX_CHUNKS} = 12 (chunks of 80 words scored per page),
 *       {@code SIEVE_LLM_EMBEDDED_MAX_IN_FLIGHT} = 8, {@code SIEVE_LLM_DEFAULT_BUDGET_MS} = 10000 (time
 *       allowed when the caller sets no deadline).
 * </ul>
 * Health turns SERVING only after the encoder is loaded, the prototypes are embedded and one warm-up
 * request has been scored.
 */
public final class LlmFallbackServiceMain {

  private static final Logger log = LoggerFactory.getLogger(LlmFallbackServiceMain.class);

  private LlmFallbackServiceMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", "."));
    int port = Settings.getInt("SIEVE_GRPC_PORT", 50054);
    String host = Settings.get("SIEVE_BIND_HOST", "127.0.0.1");

    ZeroShotScorer zeroShot =
        new ZeroShotScorer(
            new MiniLmSentenceEncoder(),
            new TextChunker(MiniLmSentenceEncoder.MAX_WORDS, Settings.getInt("SIEVE_LLM_MAX_CHUNKS", 12)));
    Calibration calibration = loadCalibration(home);
    if (!calibration.encoder().isEmpty() && !calibration.encoder().equals(zeroShot.encoder().id())) {
      log.warn("calibration {} was fitted with encoder {}, serving {}: ignoring it (default mapping)",
          calibration.version(), calibration.encoder(), zeroShot.encoder().id());
      calibration = Calibration.none();
    }
    EmbeddingBackend embedded =
        new EmbeddingBackend(zeroShot, calibration, Settings.getInt("SIEVE_LLM_EMBEDDED_MAX_IN_FLIGHT", 8));
    ScoringBackend backend = chooseBackend(embedded);

    Path categoriesDir =
        Path.of(Settings.get("SIEVE_LLM_CATEGORIES_DIR", home.resolve("config/categories").toString()));
    Supplier<CategoryCatalog> catalog;
    CatalogWatcher watcher = null;
    if (CatalogLoader.isCategoryDirectory(categoriesDir)) {
      CategoryCatalog initial = CatalogLoader.fromDirectory(categoriesDir);
      backend.prepare(initial);
      watcher = new CatalogWatcher(categoriesDir, initial, backend::prepare);
      catalog = watcher;
    } else {
      log.warn("no category files in {}; serving the copy packaged in the jar (no hot reload)", categoriesDir);
      CategoryCatalog packaged = loadPackaged();
      backend.prepare(packaged);
      catalog = () -> packaged;
    }
    log.info("categories {} from {}: {}", catalog.get().version(), catalog.get().origin(), catalog.get().ids());

    LlmTierScorer scorer =
        new LlmTierScorer(
            catalog, backend, new InputRenderer(),
            Duration.ofMillis(Settings.getLong("SIEVE_LLM_DEFAULT_BUDGET_MS", 10_000)));
    // Warm-up through the embedded path (always present): loads ONNX kernels before SERVING.
    embedded.score(
        ScoringInput.ofText("Warm-up text about online casinos and homework help."),
        catalog.get(), catalog.get().categories(), Duration.ofSeconds(30));

    dev.sieve.core.telemetry.Telemetry telemetry =
        dev.sieve.core.telemetry.Telemetry.create("llm-fallback-service");
    GrpcServerLauncher server =
        GrpcServerLauncher.builder("llm-fallback-service")
            .host(host)
            .port(port)
            .telemetry(telemetry)
            .addService(new ScorerService(scorer))
            .build()
            .start();
    telemetry.startMetricsServer(host, Settings.getInt("SIEVE_METRICS_PORT", 9094));
    telemetry.registerModelInfo("llm", backend.modelInfo(catalog.get()));
    CatalogWatcher watcherRef = watcher;
    if (watcher != null) {
      watcher.start(Duration.ofMillis(Settings.getLong("SIEVE_LLM_CATEGORIES_POLL_MS", 2000)));
    }
    server.installShutdownHook(GrpcServerLauncher.configuredDrainTimeout(), () -> {
      if (watcherRef != null) {
        watcherRef.close();
      }
      telemetry.close();
    });
    server.markServing();
    log.info("llm tier serving on {}:{} with the {} backend ({})",
        host, server.port(), backend.name(), backend.modelInfo(catalog.get()).getVersion());
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
            settings, new ChatCompletionsClient(settings), embedded,
            new TokenBudget(settings.dailyTokenBudget(), Clock.systemUTC()));
      }
      default -> throw new IllegalArgumentException(
          "SIEVE_LLM_BACKEND must be 'embedded' or 'openai', got '" + choice + "'");
    };
  }

  static Calibration loadCalibration(Path home) throws Exception {
    Optional<String> explicit = Settings.get("SIEVE_LLM_CALIBRATION");
    if (explicit.isPresent()) {
      return Calibration.load(Path.of(explicit.get()));
    }
    Path modelDir = home.resolve("models/llm-zero-shot");
    Path released = modelDir.resolve("RELEASED");
    if (!Files.isRegularFile(released)) {
      log.warn("no {}: scores use the documented default calibration mapping", released);
      return Calibration.none();
    }
    String version = Files.readString(released, StandardCharsets.UTF_8).strip();
    Path file = modelDir.resolve(version).resolve("calibration.json");
    Calibration calibration = Calibration.load(file);
    log.info("calibration {} (dataset {}) from {}", calibration.version(), calibration.datasetVersion(), file);
    return calibration;
  }

  private static CategoryCatalog loadPackaged() {
    try {
      return CatalogLoader.fromClasspath();
    } catch (CategoryConfigException e) {
      throw new IllegalStateException("packaged category files are invalid: " + e.getMessage(), e);
    }
  }
}
