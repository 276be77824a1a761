package dev.sieve.content.eval;

import dev.sieve.content.ContentTier;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.content.train.NgramBaselineSource;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.scoring.OwnedScorer;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerProvider;
import dev.sieve.eval.scoring.TierBaseline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Offers the content tier to the eval module ({@code ./sieve eval run --tier content}), so a
 * dataset is scored in-process through exactly the serving code: extraction, chunking, batcher,
 * encoder, head, calibration. Scores are the calibrated probabilities before threshold alignment:
 * the evaluation chooses the thresholds (thresholds.json) that serving then aligns to 0.5.
 *
 * <p>Options ({@code --scorer-option k=v}): {@code sessions} (encoder sessions, default one per
 * core), {@code max-batch} (16), {@code queue} (4096: offline callers submit many requests at
 * once).
 */
public final class ContentScorerProvider implements ScorerProvider {

  @Override
  public String tier() {
    return "content";
  }

  /** The head's Platt calibration, fitted on dev by the trainer, is applied in serving. */
  @Override
  public boolean servesCalibratedProbabilities() {
    return true;
  }

  /** The trainer's lexical baseline, retrained on the dataset's train split for the card. */
  @Override
  public List<TierBaseline> baselines(ScorerContext context, DatasetVersion dataset) {
    return List.of(NgramBaselineSource.baseline(dataset));
  }

  @Override
  public TierScorer create(ScorerContext context) {
    Path modelDir =
        context
            .modelDir()
            .orElseGet(
                () ->
                    ContentModel.releasedVersion(
                        context.home().resolve("models").resolve(ContentTier.MODEL_NAME)));
    int sessions = Integer.parseInt(context.options().getOrDefault("sessions", "0"));
    int maxBatch = Integer.parseInt(context.options().getOrDefault("max-batch", "16"));
    int queue = Integer.parseInt(context.options().getOrDefault("queue", "4096"));
    ContentTier tier =
        ContentTier.open(
            new ContentTier.Options(
                modelDir,
                false,
                sessions,
                new BatcherConfig(maxBatch, Duration.ofMillis(5), queue, 1),
                ExtractionLimits.defaults()));
    return new OwnedScorer(tier.scorer(), tier.scorer()::scoreProbabilities, tier);
  }
}
