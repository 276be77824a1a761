package dev.sieve.url.eval;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerProvider;
import dev.sieve.eval.scoring.TierBaseline;
import dev.sieve.url.UrlTierScorer;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.ModelArtifacts;
import java.nio.file.Path;
import java.util.List;

/**
 * Offers the url tier's lexical model to the eval module ({@code ./sieve eval run --tier url}), so
 * the standard model card measures the model in-process through the serving code: URL normalizer,
 * featurizer, the artifact loaded and SHA-256 verified from disk, Platt calibration.
 *
 * <p>What it scores is {@link UrlTierScorer#modelProbabilities}: the model alone (no known-domain
 * table: the evaluation holds out whole registered domains, and a list match would report the very
 * labels being evaluated as a definitive 1.0) and its calibrated probabilities before threshold
 * alignment (the evaluation chooses {@code thresholds.json} on that scale and serving aligns it to
 * 0.5). The model's own artifacts are loaded without {@code thresholds.json}, which this run
 * writes. Describe names the model ({@code url-lexical} and its version), the lineage the card's
 * metadata must match. Bad URLs are INVALID_ARGUMENT exactly as in serving.
 */
public final class UrlScorerProvider implements ScorerProvider {

  @Override
  public String tier() {
    return UrlTierScorer.TIER;
  }

  /**
   * The trainer fits Platt scaling per category on dev, stored in model.json and applied in
   * serving.
   */
  @Override
  public boolean servesCalibratedProbabilities() {
    return true;
  }

  @Override
  public TierScorer create(ScorerContext context) {
    return UrlTierScorer.modelProbabilities(ModelArtifacts.load(modelDir(context)));
  }

  /** The model as deployed (table + model) and UT1's adult expressions, on the card's split. */
  @Override
  public List<TierBaseline> baselines(ScorerContext context, DatasetVersion dataset) {
    return UrlCardBaselines.of(ModelArtifacts.load(modelDir(context)), dataset);
  }

  private static Path modelDir(ScorerContext context) {
    Path root = context.home().resolve("models").resolve(LexicalUrlModel.NAME);
    return context
        .modelDir()
        .orElseGet(
            () ->
                ModelArtifacts.released(root)
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "no released url model: "
                                    + root.resolve(ModelArtifacts.RELEASED)
                                    + " is missing (pass --model-dir)")));
  }
}
