package dev.sieve.content.train;

import dev.sieve.content.model.PlattCalibration;
import dev.sieve.core.scoring.PlattScaling;

/**
 * Platt scaling of the head's logits for the content model's config (core {@link PlattScaling}),
 * falling back to {@link PlattCalibration#IDENTITY} when either class is missing or the fit is
 * unusable (a non-positive slope would invert the ranking).
 */
public final class PlattFitter {

  private PlattFitter() {}

  /** Fitted calibration, or {@link PlattCalibration#IDENTITY} when either class is missing. */
  public static PlattCalibration fit(double[] logits, int[] labels) {
    boolean[] positive = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      positive[i] = labels[i] == 1;
    }
    double[] ab = PlattScaling.fit(logits, positive);
    if (!Double.isFinite(ab[0]) || !Double.isFinite(ab[1]) || ab[0] <= 0) {
      return PlattCalibration.IDENTITY;
    }
    return new PlattCalibration(ab[0], ab[1]);
  }
}
