package dev.sieve.core.scoring;

/**
 * Platt scaling: fits {@code p = 1 / (1 + exp(-(a * score + b)))} to labelled scores by Newton's
 * method with a backtracking line search on the log-loss, with Platt's smoothed targets ((N+ + 1) /
 * (N+ + 2) and 1 / (N- + 2)), as in Lin, Lin and Weng (2007), "A note on Platt's probabilistic
 * outputs for support vector machines".
 *
 * <p>Why one implementation in core: every tier's trainer calibrates its raw scores on dev this way
 * (url logits, content head logits, llm zero-shot margins), and three copies of the same Newton
 * loop had already drifted apart in their safeguards. The optional Gaussian prior serves a tier
 * whose dev set can be tiny for some categories (the llm tier's configured categories): it keeps
 * the slope near a sane default instead of fitting a step function to eight points.
 */
public final class PlattScaling {

  private PlattScaling() {}

  /**
   * Plain Platt scaling. Returns {a, b}; with no positives or no negatives, the identity {1, 0}.
   */
  public static double[] fit(double[] scores, boolean[] positive) {
    return fit(scores, positive, 1, 0, 0);
  }

  /**
   * Platt scaling with a Gaussian prior {@code lambda / 2 * ((a - a0)^2 + (b - b0)^2)} added to the
   * log-loss ({@code lambda = 0}: plain Platt). Returns {a, b}; with no positives or no negatives
   * the prior {a0, b0} (there is nothing to fit).
   */
  public static double[] fit(
      double[] scores, boolean[] positive, double a0, double b0, double lambda) {
    int nPos = 0;
    for (boolean p : positive) {
      if (p) {
        nPos++;
      }
    }
    int nNeg = positive.length - nPos;
    if (nPos == 0 || nNeg == 0) {
      return new double[] {a0, b0};
    }
    double hi = (nPos + 1.0) / (nPos + 2.0);
    double lo = 1.0 / (nNeg + 2.0);
    double a = a0;
    double b = b0;
    double loss = loss(scores, positive, hi, lo, a, b, a0, b0, lambda);
    for (int iter = 0; iter < 100; iter++) {
      double gA = lambda * (a - a0);
      double gB = lambda * (b - b0);
      double hAA = 1e-12 + lambda;
      double hAB = 0;
      double hBB = 1e-12 + lambda;
      for (int i = 0; i < scores.length; i++) {
        double t = positive[i] ? hi : lo;
        double p = sigmoid(a * scores[i] + b);
        double d = p - t;
        double w = p * (1 - p);
        gA += d * scores[i];
        gB += d;
        hAA += w * scores[i] * scores[i];
        hAB += w * scores[i];
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
        double nl = loss(scores, positive, hi, lo, na, nb, a0, b0, lambda);
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

  private static double loss(
      double[] scores,
      boolean[] positive,
      double hi,
      double lo,
      double a,
      double b,
      double a0,
      double b0,
      double lambda) {
    double sum = lambda / 2 * ((a - a0) * (a - a0) + (b - b0) * (b - b0));
    for (int i = 0; i < scores.length; i++) {
      double t = positive[i] ? hi : lo;
      double f = a * scores[i] + b;
      // log(1 + exp(-f)) * t + log(1 + exp(f)) * (1 - t), computed stably
      sum += t * softplus(-f) + (1 - t) * softplus(f);
    }
    return sum;
  }

  private static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }

  /** The logistic function, stable for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
