package dev.sieve.llm.eval;

import dev.sieve.llm.embedded.Calibration.Logistic;

/**
 * Platt scaling of raw margins: fits {@code p = sigmoid(a * margin + b)} by Newton's method on the
 * log-loss with Platt's smoothed targets ((N+ + 1)/(N+ + 2) and 1/(N- + 2)) and a weak Gaussian
 * prior pulling (a, b) toward the built-in default mapping.
 *
 * <p>The prior matters only where data is tiny (the cheating list has a handful of dev positives):
 * there it keeps the slope sane instead of producing a step function from eight points; with
 * hundreds of examples the data dominates.
 */
public final class PlattFitter {

  private PlattFitter() {}

  /** Prior strength used by the evaluation: anchors the slope on tiny sets, lets the intercept move. */
  public static final double DEFAULT_LAMBDA = 0.5;

  /**
   * @param lambda penalty {@code lambda / 2 * ((a - a0)^2 + (b - b0)^2)}; 0 = plain Platt scaling.
   *     With margins of magnitude ~0.2 the data's curvature in {@code a} is ~0.004 per example, so
   *     0.5 weighs like ~100 examples on the slope and ~5 on the intercept.
   */
  public static Logistic fit(double[] margins, boolean[] positive, Logistic prior, double lambda) {
    int nPos = 0;
    for (boolean p : positive) {
      if (p) {
        nPos++;
      }
    }
    int nNeg = positive.length - nPos;
    double targetPos = (nPos + 1.0) / (nPos + 2.0);
    double targetNeg = 1.0 / (nNeg + 2.0);
    double a = prior.a();
    double b = prior.b();
    for (int iter = 0; iter < 100; iter++) {
      double ga = lambda * (a - prior.a());
      double gb = lambda * (b - prior.b());
      double haa = lambda;
      double hab = 0;
      double hbb = lambda;
      for (int i = 0; i < margins.length; i++) {
        double z = a * margins[i] + b;
        double p = 1.0 / (1.0 + Math.exp(-z));
        double t = positive[i] ? targetPos : targetNeg;
        double d = p - t;
        double w = Math.max(p * (1 - p), 1e-12);
        ga += d * margins[i];
        gb += d;
        haa += w * margins[i] * margins[i];
        hab += w * margins[i];
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      if (Math.abs(det) < 1e-18) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      // Damped step: keeps Newton stable on separable data.
      double scale = Math.min(1.0, 10.0 / Math.max(Math.abs(da), 1e-12));
      a -= scale * da;
      b -= scale * db;
      if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) {
        break;
      }
    }
    return new Logistic(a, b);
  }
}
