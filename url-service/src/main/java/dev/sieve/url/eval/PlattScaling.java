package dev.sieve.url.eval;

/**
 * Platt scaling: fits {@code p = 1 / (1 + exp(-(a * logit + b)))} to labelled scores by Newton's
 * method on the log-loss with Platt's smoothed targets ((N+ + 1) / (N+ + 2) and 1 / (N- + 2)), as in
 * Lin, Lin and Weng (2007), "A note on Platt's probabilistic outputs for support vector machines".
 */
public final class PlattScaling {

  private PlattScaling() {}

  /** Returns {a, b}. With no positives or no negatives, the identity {1, 0}. */
  public static double[] fit(double[] logits, boolean[] positive) {
    int nPos = 0;
    for (boolean p : positive) {
      if (p) nPos++;
    }
    int nNeg = positive.length - nPos;
    if (nPos == 0 || nNeg == 0) {
      return new double[] {1, 0};
    }
    double hi = (nPos + 1.0) / (nPos + 2.0);
    double lo = 1.0 / (nNeg + 2.0);
    double a = 1;
    double b = 0;
    double loss = loss(logits, positive, hi, lo, a, b);
    for (int iter = 0; iter < 100; iter++) {
      double gA = 0;
      double gB = 0;
      double hAA = 1e-12;
      double hAB = 0;
      double hBB = 1e-12;
      for (int i = 0; i < logits.length; i++) {
        double t = positive[i] ? hi : lo;
        double p = sigmoid(a * logits[i] + b);
        double d = p - t;
        double w = p * (1 - p);
        gA += d * logits[i];
        gB += d;
        hAA += w * logits[i] * logits[i];
        hAB += w * logits[i];
        hBB += w;
      }
      double det = hAA * hBB - hAB * hAB;
      if (Math.abs(gA) < 1e-9 && Math.abs(gB) < 1e-9 || det <= 0) {
        break;
      }
      double dA = -(hBB * gA - hAB * gB) / det;
      double dB = -(-hAB * gA + hAA * gB) / det;
      double step = 1;
      boolean improved = false;
      while (step > 1e-10) {
        double na = a + step * dA;
        double nb = b + step * dB;
        double nl = loss(logits, positive, hi, lo, na, nb);
        if (nl < loss - 1e-12) {
          a = na;
          b = nb;
          loss = nl;
          improved = true;
          break;
        }
        step /= 2;
      }
      if (!improved) {
        break;
      }
    }
    return new double[] {a, b};
  }

  private static double loss(double[] logits, boolean[] positive, double hi, double lo, double a, double b) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double t = positive[i] ? hi : lo;
      double f = a * logits[i] + b;
      // log(1 + exp(-f)) * t + log(1 + exp(f)) * (1 - t), computed stably
      sum += t * softplus(-f) + (1 - t) * softplus(f);
    }
    return sum;
  }

  private static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
