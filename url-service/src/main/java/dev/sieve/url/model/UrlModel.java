package dev.sieve.url.model;

import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.url.NormalizedUrl;
import java.util.List;
import java.util.Optional;

/**
 * A model that scores a normalized URL per category: what the url tier consults for every category
 * the known-domain table has no entry for.
 *
 * <p>An interface (with one real implementation, {@link LexicalUrlModel}) so that the tier can run
 * table-only when no model has been released yet, and so that the offline evaluation scores through
 * exactly the object the service serves.
 */
public interface UrlModel {

  /** Model name, e.g. "url-lexical". */
  String name();

  /** Released version directory name. */
  String version();

  /** SHA-256 identifying the artifact and its configuration. */
  String configHash();

  /** Dataset version the model was trained on. */
  String datasetVersion();

  /** Categories this model has an opinion on (taxonomy ids, taxonomy order). */
  List<String> categories();

  /**
   * The trainer's threshold of the i-th category on the calibrated probability, chosen on dev and
   * reported in the training report. Serving aligns it to 0.5 only for a category that {@link
   * #servedThresholds()} does not cover. 0.5 when the model has none (the alignment is then the
   * identity).
   */
  default double threshold(int categoryIndex) {
    return 0.5;
  }

  /**
   * The thresholds the evaluation standard chose on dev for this model version ({@code
   * thresholds.json}, written by {@code ./sieve eval run}), which serving aligns to 0.5 instead of
   * the trainer's so that the router decides where the model card measured. Empty for a version not
   * yet evaluated.
   */
  default Optional<ServedThresholds> servedThresholds() {
    return Optional.empty();
  }

  /** Scores {@code url}; never throws for a URL the normalizer accepted. */
  Prediction predict(NormalizedUrl url);

  /**
   * Calibrated probabilities for {@link #categories()} (same order), with lazily built evidence.
   */
  interface Prediction {

    /** Calibrated probability for the i-th category of {@link UrlModel#categories()}. */
    double probability(int categoryIndex);

    /** Raw (uncalibrated) log-odds for the i-th category. */
    double logit(int categoryIndex);

    /** The strongest positive feature contributions for the category, strongest first. */
    List<FeatureContribution> topFeatures(int categoryIndex, int limit);
  }

  /**
   * One feature's signed contribution to a category's log-odds.
   *
   * @param feature readable feature, e.g. {@code host token "casino"}
   * @param weight contribution in log-odds units
   */
  record FeatureContribution(String feature, double weight) {}
}
