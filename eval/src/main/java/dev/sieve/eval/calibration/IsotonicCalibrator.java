package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Isotonic regression by pool-adjacent-violators (PAV): the best non-decreasing step fit of the
 * positive rate against the score. Non-parametric, so it fixes any monotone miscalibration, but it
 * needs data (the selector falls back to Platt or identity when dev is small).
 *
 * <p>Prediction interpolates linearly between the fitted knots and clips outside them (as
 * scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")}).
 *
 * @param x knot scores, non-decreasing
 * @param y fitted values at the knots, non-decreasing, in [0, 1]
 */
public record IsotonicCalibrator(@JsonProperty("x") double[] x, @JsonProperty("y") double[] y)
    implements Calibrator {

  public IsotonicCalibrator {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("isotonic knots must be non-empty and of equal length");
    }
  }

  /**
   * Fits PAV to (score, label) pairs. Equal scores are pooled first, so the fit does not depend on
   * the order of ties.
   */
  public static IsotonicCalibrator fit(double[] scores, boolean[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    // Blocks: [xMin, xMax, weight, sumY]
    List<double[]> blocks = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = order[k];
      double s = scores[i];
      double yv = labels[i] ? 1 : 0;
      if (!blocks.isEmpty() && blocks.get(blocks.size() - 1)[1] == s) {
        double[] last = blocks.get(blocks.size() - 1);
        last[2] += 1;
        last[3] += yv;
      } else {
        blocks.add(new double[] {s, s, 1, yv});
      }
      // Pool while the previous block's mean exceeds the last block's mean.
      while (blocks.size() >= 2) {
        double[] last = blocks.get(blocks.size() - 1);
        double[] prev = blocks.get(blocks.size() - 2);
        if (prev[3] / prev[2] <= last[3] / last[2]) {
          break;
        }
        prev[1] = last[1];
        prev[2] += last[2];
        prev[3] += last[3];
        blocks.remove(blocks.size() - 1);
      }
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("cannot fit isotonic calibration on no data");
    }
    List<double[]> knots = new ArrayList<>();
    for (double[] b : blocks) {
      double mean = b[3] / b[2];
      knots.add(new double[] {b[0], mean});
      if (b[1] != b[0]) {
        knots.add(new double[] {b[1], mean});
      }
    }
    double[] kx = new double[knots.size()];
    double[] ky = new double[knots.size()];
    for (int i = 0; i < kx.length; i++) {
      kx[i] = knots.get(i)[0];
      ky[i] = knots.get(i)[1];
    }
    return new IsotonicCalibrator(kx, ky);
  }

  @Override
  public double apply(double score) {
    if (Double.isNaN(score)) {
      return Double.NaN;
    }
    if (score <= x[0]) {
      return y[0];
    }
    int last = x.length - 1;
    if (score >= x[last]) {
      return y[last];
    }
    int i = Arrays.binarySearch(x, score);
    if (i >= 0) {
      // Several knots can share an x (a block edge); take the right-most for continuity from above.
      while (i + 1 < x.length && x[i + 1] == score) {
        i++;
      }
      return y[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double t = (score - x[lo]) / (x[hi] - x[lo]);
    return y[lo] + t * (y[hi] - y[lo]);
  }

  @Override
  @JsonIgnore
  public String method() {
    return "isotonic";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IsotonicCalibrator other
        && Arrays.equals(x, other.x)
        && Arrays.equals(y, other.y);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "IsotonicCalibrator" + Arrays.toString(x) + "->" + Arrays.toString(y);
  }
}
