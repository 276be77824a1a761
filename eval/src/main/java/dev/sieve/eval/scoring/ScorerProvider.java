package dev.sieve.eval.scoring;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.data.DatasetExamples;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Service-provider interface through which a tier offers its scorer to offline evaluation, so that
 * {@code ./sieve eval run --tier url} scores a dataset through exactly the code that serves (no
 * training/serving skew) without the eval module depending on any tier.
 *
 * <p>A tier implements this interface and lists the class in {@code
 * META-INF/services/dev.sieve.eval.scoring.ScorerProvider}. {@link ScorerFactory} finds it by
 * {@link #tier()}.
 */
public interface ScorerProvider {

  /** Tier name on the wire: "url", "content", "llm". */
  String tier();

  /**
   * Builds a ready scorer (model loaded and warmed) for {@code context.modelDir()} or, when empty,
   * the tier's released model.
   *
   * <p>The scorer must return the tier's probabilities <em>before</em> threshold alignment (core
   * {@code ThresholdAlignment}): the evaluation chooses the thresholds on dev and writes them to
   * {@code thresholds.json}, and serving then aligns exactly those thresholds to 0.5. Scoring the
   * aligned output here would choose thresholds on a scale that serving does not threshold.
   *
   * @throws Exception when the model cannot be loaded; the message is shown to the user
   */
  TierScorer create(ScorerContext context) throws Exception;

  /**
   * True when the tier already serves calibrated probabilities (its trainer fitted calibration on
   * dev and serving applies it). The evaluation then fits no calibration of its own: serving could
   * not apply it (the tiers do not depend on this module at run time), and thresholds must be
   * chosen on the scale serving thresholds ({@code score_space: raw}).
   */
  default boolean servesCalibratedProbabilities() {
    return false;
  }

  /**
   * Baselines this tier adds to its card (trained on {@code dataset}'s train split only), e.g. a
   * linear model over the same inputs. Default: none.
   *
   * @throws Exception when a baseline cannot be built; the evaluation records it as a caveat
   */
  default List<TierBaseline> baselines(ScorerContext context, DatasetVersion dataset)
      throws Exception {
    return List.of();
  }

  /**
   * Dataset files this tier is evaluated on unless the user says otherwise: hosts for the URL tier;
   * texts and real pages (ordinary inputs in the register the content tier serves) for the others.
   */
  default Set<DatasetExamples.Inputs> defaultInputs() {
    return tier().equals("url")
        ? EnumSet.of(DatasetExamples.Inputs.DOMAINS, DatasetExamples.Inputs.BACKGROUND)
        : EnumSet.of(DatasetExamples.Inputs.TEXTS, DatasetExamples.Inputs.PAGES);
  }

  /**
   * True for a tier with no weights trained on the dataset (the zero-shot tier: hand-written
   * prototypes, a monotonic calibration per category): its leave-one-source-out is computed by the
   * evaluation itself, re-choosing thresholds on dev without the held-out source. A trained tier
   * (content) writes loso.json from its trainer, retraining without each source.
   */
  default boolean leaveOneSourceOutByThresholds() {
    return false;
  }
}
