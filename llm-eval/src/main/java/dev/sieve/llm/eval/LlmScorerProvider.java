package dev.sieve.llm.eval;

import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.scoring.OwnedScorer;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerProvider;
import dev.sieve.llm.LlmFallbackServiceMain;
import dev.sieve.llm.LlmTierScorer;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.EmbeddedModel;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.input.InputRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Offers the llm tier's embedded zero-shot model to the evaluation standard ({@code ./sieve eval
 * run --tier llm --model-dir models/llm-zero-shot/<version>}), so the standard model card and
 * thresholds.json are measured in-process through exactly the serving code: the same loader ({@link
 * EmbeddedModel}), chunking, prototypes of the served category catalog, calibration and {@link
 * LlmTierScorer}. Only the embedded backend is evaluated: the OpenAI-compatible endpoint is a peer
 * this project does not own.
 *
 * <p>Scores are the calibrated probabilities before threshold alignment, even when the version
 * already has a thresholds.json: the evaluation chooses the thresholds on this scale and serving
 * then aligns them to 0.5.
 *
 * <p>Options ({@link ScorerContext#options()}): {@code threads} (encoder inference threads, default
 * one per core), {@code max-in-flight} (concurrent requests, default 64: an offline caller submits
 * many at once and must not be refused), {@code categories-dir} (default as serving: {@code
 * SIEVE_LLM_CATEGORIES_DIR} or {@code <home>/config/categories}, else the copy in the jar).
 */
public final class LlmScorerProvider implements ScorerProvider {

  @Override
  public String tier() {
    return LlmTierScorer.TIER;
  }

  /**
   * Hand-written prototypes and a monotonic calibration: thresholds are all a source influences.
   */
  @Override
  public boolean leaveOneSourceOutByThresholds() {
    return true;
  }

  /** The dev-fitted Platt calibration (calibration.json) is applied in serving. */
  @Override
  public boolean servesCalibratedProbabilities() {
    return true;
  }

  @Override
  public TierScorer create(ScorerContext context) throws Exception {
    Path modelRoot = EmbeddedModel.modelRoot(context.home());
    Path modelDir =
        context
            .modelDir()
            .or(() -> EmbeddedModel.releasedVersion(modelRoot))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no --model-dir and no " + modelRoot.resolve("RELEASED")));
    Path calibration = modelDir.resolve(EmbeddedModel.CALIBRATION);
    if (!Files.isRegularFile(calibration)) {
      throw new IllegalArgumentException(
          modelDir
              + " has no "
              + EmbeddedModel.CALIBRATION
              + ": not a version of "
              + EmbeddingBackend.MODEL_NAME);
    }
    Map<String, String> options = context.options();
    CategoryCatalog catalog =
        LlmFallbackServiceMain.catalog(
            Optional.ofNullable(options.get("categories-dir"))
                .map(Path::of)
                .orElseGet(() -> LlmFallbackServiceMain.categoriesDir(context.home())));
    int threads =
        Integer.parseInt(
            options.getOrDefault(
                "threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "llm-eval-encoder");
              t.setDaemon(true);
              return t;
            });
    try {
      EmbeddingBackend backend =
          EmbeddedModel.backend(
              EmbeddedModel.scorer(LlmFallbackServiceMain.maxChunks(), pool),
              Optional.of(calibration),
              EmbeddedModel.Scale.PROBABILITY,
              Integer.parseInt(options.getOrDefault("max-in-flight", "64")));
      backend.warmUp(catalog);
      LlmTierScorer scorer =
          new LlmTierScorer(
              () -> catalog, backend, new InputRenderer(), LlmFallbackServiceMain.defaultBudget());
      return new OwnedScorer(scorer, scorer::score, pool::shutdownNow);
    } catch (Exception | Error e) {
      pool.shutdownNow();
      throw e;
    }
  }
}
