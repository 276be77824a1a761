package dev.sieve.llm.eval;

import dev.sieve.core.scoring.PlattScaling;
import dev.sieve.llm.embedded.Calibration.Logistic;

/**
 * Platt scaling of raw margins (core {@link PlattScaling}, {@code p = sigmoid(a * margin + b)})
 * with a weak Gaussian prior pulling (a, b) toward the built-in default mapping.
 *
 * <p>The prior matters only where data is tiny (the cheating list has a handful of dev positives):
 * there it keeps the slope sane instead of producing a step function from eight points; with
 * hundreds of examples the data dominates.
 */
public final class PlattFitter {

  private PlattFitter() {}

  /**
   * Prior strength used by the evaluation: anchors the slope on tiny sets, lets the intercept move.
   */
  public static final double DEFAULT_LAMBDA = 0.5;

  /**
   * @param lambda penalty {@code lambda / 2 * ((a - a0)^2 + (b - b0)^2)}; 0 = plain Platt scaling.
   *     With margins of magnitude ~0.2 the data's curvature in {@code a} is ~0.004 per example, so
   *     0.5 weighs like ~100 examples on the slope and ~5 on the intercept.
   */
  public static Logistic fit(double[] margins, boolean[] positive, Logistic prior, double lambda) {
    double[] ab = PlattScaling.fit(margins, positive, prior.a(), prior.b(), lambda);
    return new Logistic(ab[0], ab[1]);
  }
}
