package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Platt scaling on the log-odds of the raw score: {@code p = 1 / (1 + exp(-(a * logit(s) + b)))}.
 * Two parameters, so it is stable on small dev sets; {@code a = 1, b = 0} is the identity.
 *
 * <p>Fitted by Newton's method with a backtracking line search on Platt's smoothed targets ({@code
 * (N+ + 1) / (N+ + 2)} for positives, {@code 1 / (N- + 2)} for negatives), following Lin, Lin and
 * Weng (2007), "A note on Platt's probabilistic outputs for support vector machines".
 */
public record PlattCalibrator(@JsonProperty("a") double a, @JsonProperty("b") double b)
    implements Calibrator {

  /** Scores are clipped to [EPS, 1 - EPS] before the logit so 0 and 1 stay finite. */
  public static final double EPS = 1e-6;

  public static double logit(double s) {
    double c = Math.min(Math.max(s, EPS), 1 - EPS);
    return Math.log(c / (1 - c));
  }

  public static PlattCalibrator fit(double[] scores, boolean[] labels) {
    int n = scores.length;
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit Platt calibration on no data");
    }
    long nPos = 0;
    for (boolean l : labels) {
      if (l) {
        nPos++;
      }
    }
    long nNeg = n - nPos;
    double hi = (nPos + 1.0) / (nPos + 2.0);
    double lo = 1.0 / (nNeg + 2.0);
    double[] f = new double[n];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = logit(scores[i]);
      t[i] = labels[i] ? hi : lo;
    }
    double a = 0;
    double b = Math.log((nNeg + 1.0) / (nPos + 1.0)) * -1; // start at the prior log-odds
    double sigma = 1e-12;
    double fval = objective(f, t, a, b);
    for (int iter = 0; iter < 100; iter++) {
      double h11 = sigma;
      double h22 = sigma;
      double h21 = 0;
      double g1 = 0;
      double g2 = 0;
      for (int i = 0; i < n; i++) {
        double z = a * f[i] + b;
        double p = sigmoid(z);
        double d2 = p * (1 - p);
        h11 += f[i] * f[i] * d2;
        h22 += d2;
        h21 += f[i] * d2;
        double d1 = p - t[i];
        g1 += f[i] * d1;
        g2 += d1;
      }
      if (Math.abs(g1) < 1e-10 && Math.abs(g2) < 1e-10) {
        break;
      }
      double det = h11 * h22 - h21 * h21;
      double da = -(h22 * g1 - h21 * g2) / det;
      double db = -(-h21 * g1 + h11 * g2) / det;
      double gd = g1 * da + g2 * db;
      double step = 1;
      boolean improved = false;
      while (step >= 1e-10) {
        double na = a + step * da;
        double nb = b + step * db;
        double nf = objective(f, t, na, nb);
        if (nf < fval + 1e-4 * step * gd) {
          a = na;
          b = nb;
          fval = nf;
          improved = true;
          break;
        }
        step /= 2;
      }
      if (!improved) {
        break;
      }
    }
    return new PlattCalibrator(a, b);
  }

  /** Cross-entropy against the smoothed targets, computed without overflow. */
  private static double objective(double[] f, double[] t, double a, double b) {
    double sum = 0;
    for (int i = 0; i < f.length; i++) {
      double z = a * f[i] + b;
      // -[t log p + (1 - t) log(1 - p)] with p = sigmoid(z) == softplus(z) - t z
      sum += softplus(z) - t[i] * z;
    }
    return sum;
  }

  private static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
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
