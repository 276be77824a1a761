package dev.sieve.eval.metrics;

/**
 * Score-distribution drift between a reference (the card's evaluation distribution) and live
 * traffic: population stability index and Jensen-Shannon divergence over the same histogram bins.
 *
 * <p>Rules of thumb the standard uses: PSI below 0.1 stable, 0.1-0.25 watch, above 0.25 act
 * (recalibrate or re-evaluate on fresh data). JS is bounded (0..1 with log base 2), symmetric and
 * defined when a bin is empty on one side, which PSI is not without smoothing.
 */
public final class Drift {

  /** Added to empty bins so PSI stays finite (a common convention; recorded in the card). */
  public static final double EPSILON = 1e-4;

  private Drift() {}

  /** Equal-width histogram of scores on [0, 1] (no-opinion values left out). */
  public static long[] histogram(double[] scores, int bins) {
    long[] h = new long[bins];
    for (double s : scores) {
      if (Double.isNaN(s) || Double.isInfinite(s)) {
        continue;
      }
      h[Math.min((int) (s * bins), bins - 1)]++;
    }
    return h;
  }

  /** PSI = sum (a - e) ln(a / e) over bin shares, empty shares floored at {@link #EPSILON}. */
  public static double psi(long[] expected, long[] actual) {
    double[] e = shares(expected, true);
    double[] a = shares(actual, true);
    double psi = 0;
    for (int i = 0; i < e.length; i++) {
      psi += (a[i] - e[i]) * Math.log(a[i] / e[i]);
    }
    return psi;
  }

  /**
   * Jensen-Shannon distance: the square root of {@link #jensenShannon} (bits), a metric on
   * distributions (triangle inequality), 0 = identical, 1 = disjoint; what the drift report shows.
   */
  public static double jensenShannonDistance(long[] p, long[] q) {
    return Math.sqrt(Math.max(0, jensenShannon(p, q)));
  }

  /** Jensen-Shannon divergence in bits (0 = identical, 1 = disjoint). */
  public static double jensenShannon(long[] p, long[] q) {
    double[] a = shares(p, false);
    double[] b = shares(q, false);
    double js = 0;
    for (int i = 0; i < a.length; i++) {
      double m = (a[i] + b[i]) / 2;
      js += 0.5 * kl(a[i], m) + 0.5 * kl(b[i], m);
    }
    return js;
  }

  private static double kl(double p, double m) {
    return p == 0 ? 0 : p * (Math.log(p / m) / Math.log(2));
  }

  private static double[] shares(long[] counts, boolean floor) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      throw new IllegalArgumentException("histogram is empty");
    }
    double[] s = new double[counts.length];
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      s[i] = (double) counts[i] / total;
      if (floor && s[i] < EPSILON) {
        s[i] = EPSILON;
      }
      sum += s[i];
    }
    for (int i = 0; i < s.length; i++) {
      s[i] /= sum;
    }
    return s;
  }
}
