package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** No calibration: chosen when the raw score already has the lowest dev log-loss, or no data. */
public record IdentityCalibrator() implements Calibrator {

  @Override
  public double apply(double score) {
    return score;
  }

  @Override
  @JsonIgnore
  public String method() {
    return "identity";
  }
}
