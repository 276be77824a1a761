package dev.sieve.eval.report;

import dev.sieve.eval.metrics.Bootstrap;

/**
 * A metric value with its 95% interval. {@code null} fields mean "undefined", which cards print as
 * "n/a" rather than as a number.
 *
 * @param value point estimate on the evaluated split
 * @param lower lower bound of the interval
 * @param upper upper bound of the interval
 */
public record Estimate(Double value, Double lower, Double upper) {

  public static Estimate of(double value, Bootstrap.Interval ci) {
    return new Estimate(orNull(value), orNull(ci.lower()), orNull(ci.upper()));
  }

  public static Estimate point(double value) {
    return new Estimate(orNull(value), null, null);
  }

  public static Double orNull(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
