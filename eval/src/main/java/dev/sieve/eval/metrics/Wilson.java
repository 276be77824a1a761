package dev.sieve.eval.metrics;

/**
 * Wilson score interval for a proportion: honest on the small slices (a few dozen LGBTQ+ or
 * sex-education sites) where a normal approximation would print impossible bounds.
 */
public final class Wilson {

  private Wilson() {}

  /** 95% interval (z = 1.96) for {@code k} of {@code n}; NONE when {@code n == 0}. */
  public static Bootstrap.Interval interval(long k, long n) {
    if (n == 0) {
      return Bootstrap.Interval.NONE;
    }
    double z = 1.959963984540054;
    double p = (double) k / n;
    double denom = 1 + z * z / n;
    double center = (p + z * z / (2.0 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
    return new Bootstrap.Interval(Math.max(0, center - half), Math.min(1, center + half));
  }

  /**
   * 95% interval for a weighted proportion {@code p} over an effective sample size {@code nEff}
   * (Kish: (sum w)^2 / sum w^2), the usual way to carry Wilson over to inverse-probability-weighted
   * samples; NONE when {@code nEff} is 0.
   */
  public static Bootstrap.Interval interval(double p, double nEff) {
    if (!(nEff > 0)) {
      return Bootstrap.Interval.NONE;
    }
    double z = 1.959963984540054;
    double denom = 1 + z * z / nEff;
    double center = (p + z * z / (2.0 * nEff)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / nEff + z * z / (4.0 * nEff * nEff)) / denom;
    return new Bootstrap.Interval(Math.max(0, center - half), Math.min(1, center + half));
  }
}
