package dev.sieve.eval.scoring;

import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.data.DatasetExamples;
import java.util.EnumSet;
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
   * @throws Exception when the model cannot be loaded; the message is shown to the user
   */
  TierScorer create(ScorerContext context) throws Exception;

  /** Dataset files this tier is evaluated on unless the user says otherwise. */
  default Set<DatasetExamples.Inputs> defaultInputs() {
    return tier().equals("url")
        ? EnumSet.of(DatasetExamples.Inputs.DOMAINS, DatasetExamples.Inputs.BACKGROUND)
        : EnumSet.of(DatasetExamples.Inputs.TEXTS);
  }
}
