package dev.sieve.content.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the trained model decided about one output category.
 *
 * @param category taxonomy id
 * @param served whether the service reports this category; false when the data was too thin to
 *     measure it (see {@code reason}): an unmeasured score must not reach a verdict
 * @param reason why not served ("" when served)
 * @param calibration Platt parameters fitted on dev
 * @param threshold decision threshold on the calibrated score, chosen on dev
 * @param thresholdRule how the threshold was chosen ("max_f1_dev", "recall_floor_dev:0.90")
 * @param ngramWeight weight w of the n-gram model's logit in this category's fused logit {@code (1
 *     - w) * head + w * ngram} (0 = the head alone; chosen on dev); calibration and threshold apply
 *     to the fused logit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CategoryConfig(
    @JsonProperty("category") String category,
    @JsonProperty("served") boolean served,
    @JsonProperty("reason") String reason,
    @JsonProperty("calibration") PlattCalibration calibration,
    @JsonProperty("threshold") double threshold,
    @JsonProperty("threshold_rule") String thresholdRule,
    @JsonProperty("ngram_weight") double ngramWeight) {

  @JsonCreator
  public CategoryConfig {}

  /** A category scored by the head alone (no n-gram fusion). */
  public CategoryConfig(
      String category,
      boolean served,
      String reason,
      PlattCalibration calibration,
      double threshold,
      String thresholdRule) {
    this(category, served, reason, calibration, threshold, thresholdRule, 0.0);
  }
}
