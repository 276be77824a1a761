package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sieve.core.scoring.PlattScaling;

/**
 * Platt scaling on the log-odds of the raw score: {@code p = 1 / (1 + exp(-(a * logit(s) + b)))}.
 * Two parameters, so it is stable on small dev sets; {@code a = 1, b = 0} is the identity.
 *
 * <p>Fitted by core {@link PlattScaling} (Newton's method with a backtracking line search on
 * Platt's smoothed targets, Lin, Lin and Weng 2007), the same fitter the tier trainers calibrate
 * with.
 */
public record PlattCalibrator(@JsonProperty("a") double a, @JsonProperty("b") double b)
    implements Calibrator {

  /** Scores are clipped to [EPS, 1 - EPS] before the logit so 0 and 1 stay finite. */
  public static final double EPS = 1e-6;

  public static double logit(double s) {
    double c = Math.min(Math.max(s, EPS), 1 - EPS);
    return Math.log(c / (1 - c));
  }

  /**
   * Fits (a, b) by core {@link PlattScaling} (the one Platt fitter every trainer uses) on the
   * log-odds of the scores; with only one class present, the identity.
   */
  public static PlattCalibrator fit(double[] scores, boolean[] labels) {
    int n = scores.length;
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit Platt calibration on no data");
    }
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = logit(scores[i]);
    }
    double[] ab = PlattScaling.fit(f, labels);
    return new PlattCalibrator(ab[0], ab[1]);
  }

  static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }

  @Override
  public double apply(double score) {
    if (Double.isNaN(score)) {
      return Double.NaN;
    }
    return sigmoid(a * logit(score) + b);
  }

  @Override
  @JsonIgnore
  public String method() {
    return "platt";
  }
}
