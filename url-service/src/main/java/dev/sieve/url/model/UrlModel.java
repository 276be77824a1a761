package dev.sieve.url.model;

import dev.sieve.core.url.NormalizedUrl;
import java.util.List;

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
   * Release threshold of the i-th category on the calibrated probability, chosen on dev and reported
   * in the model card; the tier aligns it to 0.5 on the fleet's common scale. 0.5 when the model has
   * none (the alignment is then the identity).
   */
  default double threshold(int categoryIndex) {
    return 0.5;
  }

  /** Scores {@code url}; never throws for a URL the normalizer accepted. */
  Prediction predict(NormalizedUrl url);

  /** Calibrated probabilities for {@link #categories()} (same order), with lazily built evidence. */
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
