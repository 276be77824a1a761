package dev.sieve.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Reliability curve (equal-width bins) and expected calibration error.
 *
 * <p>A calibrated score of 0.8 should be right 80% of the time; the router merges tiers and tenants
 * set thresholds on that promise. ECE = sum over bins of (bin share) x |observed positive rate -
 * mean score|. Items with no opinion ({@code NaN}) are left out.
 */
public final class Reliability {

  private Reliability() {}

  /**
   * One bin of the curve.
   *
   * @param lower inclusive lower edge
   * @param upper exclusive upper edge (the last bin includes 1.0)
   * @param count items in the bin
   * @param meanScore mean predicted score in the bin (null when empty)
   * @param positiveRate observed share of positives (null when empty)
   */
  public record Bin(
      double lower, double upper, long count, Double meanScore, Double positiveRate) {}

  /**
   * The curve and its ECE.
   *
   * @param ece expected calibration error; {@code NaN} when no item has a score
   */
  public record Curve(List<Bin> bins, double ece, long count) {}

  public static Curve compute(double[] scores, boolean[] labels, int bins) {
    long[] n = new long[bins];
    double[] sumScore = new double[bins];
    long[] pos = new long[bins];
    long total = 0;
    for (int i = 0; i < scores.length; i++) {
      double s = scores[i];
      if (Double.isNaN(s) || Double.isInfinite(s)) {
        continue;
      }
      int b = Math.min((int) (s * bins), bins - 1);
      n[b]++;
      sumScore[b] += s;
      if (labels[i]) {
        pos[b]++;
      }
      total++;
    }
    List<Bin> out = new ArrayList<>(bins);
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (n[b] == 0) {
        out.add(new Bin((double) b / bins, (double) (b + 1) / bins, 0, null, null));
        continue;
      }
      double mean = sumScore[b] / n[b];
      double rate = (double) pos[b] / n[b];
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins, n[b], mean, rate));
      ece += ((double) n[b] / total) * Math.abs(rate - mean);
    }
    return new Curve(out, total == 0 ? Double.NaN : ece, total);
  }

  /** ECE alone (same definition as {@link #compute}). */
  public static double ece(double[] scores, boolean[] labels, int bins) {
    return compute(scores, labels, bins).ece();
  }
}
