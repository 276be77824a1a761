package dev.sieve.content.train;

import dev.sieve.core.metrics.BinaryMetrics;
import java.util.Arrays;
import java.util.Random;

/**
 * Binary classification metrics over one category's in-scope examples: counts at a threshold,
 * average precision (AUPRC), expected calibration error, bootstrap confidence intervals.
 *
 * <p>Inputs are parallel arrays of scores and 0/1 labels that the caller already restricted to
 * examples in the category's label scope.
 */
public final class Metrics {

  private Metrics() {}

  /** Confusion counts at a threshold (decision = score >= threshold) and the derived rates. */
  public record Counts(int tp, int fp, int fn, int tn) {

    public double precision() {
      return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    public double recall() {
      return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      if (Double.isNaN(p) || Double.isNaN(r)) {
        return tp + fn == 0 ? Double.NaN : 0.0;
      }
      return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** Share of negatives flagged: the over-blocking rate. */
    public double falsePositiveRate() {
      return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
    }

    public int positives() {
      return tp + fn;
    }

    public int negatives() {
      return fp + tn;
    }
  }

  public static Counts counts(double[] scores, int[] labels, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean flagged = scores[i] >= threshold;
      if (labels[i] == 1) {
        if (flagged) {
          tp++;
        } else {
          fn++;
        }
      } else if (flagged) {
        fp++;
      } else {
        tn++;
      }
    }
    return new Counts(tp, fp, fn, tn);
  }

  /**
   * Average precision (area under the precision-recall curve, step-wise as scikit-learn computes
   * it); tied scores are one step. NaN without positives.
   */
  public static double averagePrecision(double[] scores, int[] labels) {
    return BinaryMetrics.averagePrecision(scores, positive(labels));
  }

  /** Expected calibration error with equal-width bins over [0, 1]; NaN without examples. */
  public static double expectedCalibrationError(double[] probabilities, int[] labels, int bins) {
    return probabilities.length == 0
        ? Double.NaN
        : BinaryMetrics.expectedCalibrationError(probabilities, positive(labels), bins);
  }

  /** Reliability diagram data: per bin [mean predicted, observed rate, count]. */
  public static double[][] reliability(double[] probabilities, int[] labels, int bins) {
    return BinaryMetrics.reliability(probabilities, positive(labels), bins);
  }

  private static boolean[] positive(int[] labels) {
    boolean[] out = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i] == 1;
    }
    return out;
  }

  /**
   * Percentile bootstrap 95% intervals of F1 (at the threshold) and AUPRC: {f1Lo, f1Hi, apLo,
   * apHi}.
   */
  public static double[] bootstrap(
      double[] scores, int[] labels, double threshold, int rounds, long seed) {
    Random random = new Random(seed);
    int n = scores.length;
    double[] f1 = new double[rounds];
    double[] ap = new double[rounds];
    double[] s = new double[n];
    int[] l = new int[n];
    int valid = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n);
        s[i] = scores[j];
        l[i] = labels[j];
      }
      double f = counts(s, l, threshold).f1();
      double a = averagePrecision(s, l);
      if (!Double.isNaN(f) && !Double.isNaN(a)) {
        f1[valid] = f;
        ap[valid] = a;
        valid++;
      }
    }
    if (valid < rounds / 2) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double[] f1s = Arrays.copyOf(f1, valid);
    double[] aps = Arrays.copyOf(ap, valid);
    Arrays.sort(f1s);
    Arrays.sort(aps);
    return new double[] {
      percentile(f1s, 0.025), percentile(f1s, 0.975), percentile(aps, 0.025), percentile(aps, 0.975)
    };
  }

  private static double percentile(double[] sorted, double q) {
    int index = (int) Math.floor(q * (sorted.length - 1));
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static Integer[] sortedDescending(double[] scores) {
    return BinaryMetrics.byScoreDescending(scores);
  }
}
