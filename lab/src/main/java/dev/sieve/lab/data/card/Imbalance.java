package dev.sieve.lab.data.card;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The class-imbalance decision per category and modality, written into the data card so trainers
 * read it instead of re-deciding it.
 *
 * <p>Rule (one for every trainer, so model cards are comparable):
 *
 * <ul>
 *   <li>No train positives: not trainable; the category is a gap served by the zero-shot / LLM
 *       tier.
 *   <li>Fewer than {@value #MIN_TRAIN_POSITIVES} train positives: no supervised head; evaluate
 *       only, with the CI stated, and let the zero-shot tier cover it.
 *   <li>Otherwise: per-category binary loss with {@code pos_weight = clamp(neg / pos, 0.1, 100)},
 *       no resampling. Why: the labels are multi-label and scoped, so per-category weighting is the
 *       only reweighting that does not distort other categories; resampling would duplicate hosts
 *       of one registered domain; the cap stops a category with few positives from dominating the
 *       gradient. Decision thresholds are tuned per category on dev against the background at its
 *       natural rate, never on test.
 * </ul>
 *
 * @param category taxonomy id
 * @param modality "domains" (negatives = background hosts) or "texts" (negatives = in-scope texts)
 * @param trainPositives positives in train
 * @param trainNegatives in-scope negatives in train
 * @param ratio negatives per positive (null when there are no positives)
 * @param posWeight the positive-class weight trainers use (0 when not trainable)
 * @param strategy short name of the decision
 */
public record Imbalance(
    @JsonProperty("category") String category,
    @JsonProperty("modality") String modality,
    @JsonProperty("train_positives") long trainPositives,
    @JsonProperty("train_negatives") long trainNegatives,
    @JsonProperty("neg_per_pos") Double ratio,
    @JsonProperty("pos_weight") double posWeight,
    @JsonProperty("strategy") String strategy) {

  public static final int MIN_TRAIN_POSITIVES = 50;
  public static final double MIN_WEIGHT = 0.1;
  public static final double MAX_WEIGHT = 100;

  public static Imbalance of(String category, String modality, long pos, long neg) {
    if (pos == 0) {
      return new Imbalance(
          category, modality, pos, neg, null, 0, "gap: no positives (zero-shot/LLM tier)");
    }
    double ratio = (double) neg / pos;
    if (pos < MIN_TRAIN_POSITIVES) {
      return new Imbalance(
          category,
          modality,
          pos,
          neg,
          round(ratio),
          0,
          "too few positives: evaluate only (zero-shot/LLM tier)");
    }
    double w = Math.max(MIN_WEIGHT, Math.min(MAX_WEIGHT, ratio));
    return new Imbalance(category, modality, pos, neg, round(ratio), round(w), "pos_weight");
  }

  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }
}
