package dev.sieve.content.train;

import dev.sieve.content.model.PlattCalibration;

/**
 * Fits Platt scaling, sigmoid(a * logit + b), by Newton's method on the log loss, with Platt's
 * smoothed targets ((N+ + 1)/(N+ + 2) and 1/(N- + 2)) so that a separable dev set does not push the
 * slope to infinity.
 */
public final class PlattFitter {

  private PlattFitter() {}

  /** Fitted calibration, or {@link PlattCalibration#IDENTITY} when either class is missing. */
  public static PlattCalibration fit(double[] logits, int[] labels) {
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    int negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return PlattCalibration.IDENTITY;
    }
    double hiTarget = (positives + 1.0) / (positives + 2.0);
    double loTarget = 1.0 / (negatives + 2.0);
    double a = 1.0;
    double b = 0.0;
    double lambda = 1e-6;
    for (int iteration = 0; iteration < 100; iteration++) {
      double ga = lambda * (a - 1);
      double gb = 0;
      double haa = lambda;
      double hab = 0;
      double hbb = lambda;
      for (int i = 0; i < logits.length; i++) {
        double t = labels[i] == 1 ? hiTarget : loTarget;
        double p = PlattCalibration.sigmoid(a * logits[i] + b);
        double d = p - t;
        double w = Math.max(p * (1 - p), 1e-12);
        ga += d * logits[i];
        gb += d;
        haa += w * logits[i] * logits[i];
        hab += w * logits[i];
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      if (Math.abs(det) < 1e-18) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) {
        break;
      }
    }
    if (!Double.isFinite(a) || !Double.isFinite(b) || a <= 0) {
      return PlattCalibration.IDENTITY;
    }
    return new PlattCalibration(a, b);
  }
}
