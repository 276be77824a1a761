package dev.sieve.eval.threshold;

import java.util.List;

/**
 * The threshold of one category and how it was chosen, as stored with the model ({@code
 * thresholds.json}) and printed in the card.
 *
 * @param category category id
 * @param threshold flag when the (served) score is >= this
 * @param rule the rule in words, e.g. "max precision subject to recall >= 0.95"
 * @param status "selected", "constraints_relaxed", "background_only" (no positives; chosen from the
 *     background flag-rate ceiling alone), "insufficient_data" (fallback threshold), "not_scored"
 *     (the model returns no score for the category; fallback threshold) or "fixed"
 * @param unmet constraints that could not be met on dev (empty when all were)
 * @param devPositives positives in scope on dev
 * @param devNegatives negatives in scope on dev
 * @param devPrecision precision on dev at the threshold (null when undefined)
 * @param devRecall recall on dev at the threshold
 * @param devF1 F1 on dev at the threshold
 * @param devBackgroundFlagRate share of dev background sites flagged at the threshold
 * @param thresholdCiLower lower end of the bootstrap 95% interval of the threshold (re-selected on
 *     each dev resample): how much the choice itself depends on which dev sites we happened to have
 * @param thresholdCiUpper upper end
 */
public record ThresholdChoice(
    String category,
    double threshold,
    String rule,
    String status,
    List<String> unmet,
    long devPositives,
    long devNegatives,
    Double devPrecision,
    Double devRecall,
    Double devF1,
    Double devBackgroundFlagRate,
    Double thresholdCiLower,
    Double thresholdCiUpper) {

  public ThresholdChoice {
    unmet = unmet == null ? List.of() : List.copyOf(unmet);
  }
}
