package dev.sieve.eval.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded nonparametric bootstrap: resample the evaluated examples with replacement (as
 * multiplicities, never copies) and read intervals off the percentiles.
 *
 * <p>Resample {@code b} draws from its own generator seeded by ({@code seed}, {@code b}), so the
 * intervals are identical whether resamples run sequentially or in parallel, and the same seed
 * always gives the same card.
 */
public final class Bootstrap {

  private Bootstrap() {}

  /**
   * Multiplicities of resample {@code b}: {@code n} draws with replacement from {@code n} items (a
   * multinomial with equal probabilities).
   */
  public static int[] weights(long seed, int b, int n) {
    int[] w = new int[n];
    if (n == 0) {
      return w;
    }
    SplittableRandom rng = new SplittableRandom(mix(seed, b));
    for (int i = 0; i < n; i++) {
      w[rng.nextInt(n)]++;
    }
    return w;
  }

  /** A 64-bit mix of seed and resample index (SplitMix64 finalizer). */
  static long mix(long seed, int b) {
    long z = seed + 0x9E3779B97F4A7C15L * (b + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A two-sided percentile interval.
   *
   * @param lower lower bound, {@code NaN} when fewer than half the resamples gave a defined value
   * @param upper upper bound, likewise
   */
  public record Interval(double lower, double upper) {
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);
  }

  /**
   * Percentile interval over resampled values; {@code NaN}s (undefined in that resample, e.g. no
   * positives drawn) are left out, and when more than half are undefined there is no interval.
   */
  public static Interval percentile(double[] values, double confidence) {
    double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (defined.length == 0 || defined.length * 2 < values.length) {
      return Interval.NONE;
    }
    double alpha = (1 - confidence) / 2;
    return new Interval(quantile(defined, alpha), quantile(defined, 1 - alpha));
  }

  /** Linear-interpolated quantile of sorted values (Hyndman-Fan type 7, numpy's default). */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
