package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A monotone map from a tier's raw score to a calibrated probability, fitted on the dev split and
 * shipped with the model ({@code calibration.json}) so that serving applies exactly what was
 * evaluated.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "method")
@JsonSubTypes({
  @JsonSubTypes.Type(value = IdentityCalibrator.class, name = "identity"),
  @JsonSubTypes.Type(value = IsotonicCalibrator.class, name = "isotonic"),
  @JsonSubTypes.Type(value = PlattCalibrator.class, name = "platt")
})
public sealed interface Calibrator permits IdentityCalibrator, IsotonicCalibrator, PlattCalibrator {

  /** Calibrated probability for a raw score; {@code NaN} (no opinion) stays {@code NaN}. */
  double apply(double score);

  /** "identity", "isotonic" or "platt". */
  String method();

  /** Applies to every score (returns a new array). */
  default double[] applyAll(double[] scores) {
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = apply(scores[i]);
    }
    return out;
  }
}
