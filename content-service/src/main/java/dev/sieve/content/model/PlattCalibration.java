package dev.sieve.content.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Platt scaling: calibrated probability = sigmoid(a * logit + b), fitted per category on the dev
 * split. The identity ({@code a = 1, b = 0}) is the uncalibrated sigmoid.
 */
public record PlattCalibration(@JsonProperty("a") double a, @JsonProperty("b") double b) {

  public static final PlattCalibration IDENTITY = new PlattCalibration(1.0, 0.0);

  public double apply(double logit) {
    return sigmoid(a * logit + b);
  }

  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
