package dev.sieve.url.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-category serving parameters of the lexical model, stored readable in {@code model.json}.
 *
 * @param id taxonomy id
 * @param plattA Platt scaling slope: p = 1 / (1 + exp(-(a * logit + b)))
 * @param plattB Platt scaling intercept
 * @param threshold recommended decision threshold on the calibrated score
 * @param thresholdRule how the threshold was chosen (on the dev split)
 * @param trainPositives positives in the training split
 * @param nonZeroWeights hash buckets with a non-zero quantized weight
 */
public record CategoryParams(
    @JsonProperty("id") String id,
    @JsonProperty("platt_a") double plattA,
    @JsonProperty("platt_b") double plattB,
    @JsonProperty("threshold") double threshold,
    @JsonProperty("threshold_rule") String thresholdRule,
    @JsonProperty("train_positives") int trainPositives,
    @JsonProperty("non_zero_weights") int nonZeroWeights) {

  /** Calibrated probability of a raw logit. */
  public double calibrate(double logit) {
    return 1.0 / (1.0 + Math.exp(-(plattA * logit + plattB)));
  }
}
