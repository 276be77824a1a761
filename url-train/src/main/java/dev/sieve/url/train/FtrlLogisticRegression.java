package dev.sieve.url.train;

import java.util.Random;

/**
 * Binary logistic regression over hashed binary features, trained with FTRL-Proximal (McMahan et
 * al. 2013, "Ad Click Prediction: a View from the Trenches"): per-coordinate adaptive learning
 * rates plus L1, which drives most of the 2^20 hashed weights to exactly zero and keeps the
 * artifact small.
 *
 * <p>Deterministic: examples are visited in an order drawn from the seed, one thread per model, and
 * float arithmetic in a fixed order, so the same seed and data give bit-identical weights.
 */
public final class FtrlLogisticRegression {

  /**
   * @param alpha learning-rate scale
   * @param beta learning-rate smoothing
   * @param l1 L1 strength (sparsity)
   * @param l2 L2 strength
   * @param epochs passes over the data
   */
  public record Params(double alpha, double beta, double l1, double l2, int epochs) {
    public static Params defaults() {
      return new Params(0.1, 1.0, 1.0, 5.0, 3);
    }
  }

  /** The trained weights: dense over the hash space, plus the bias. */
  public record Weights(float[] w, float bias) {
    public int nonZeros() {
      int n = 0;
      for (float v : w) {
        if (v != 0) {
          n++;
        }
      }
      return n;
    }
  }

  private FtrlLogisticRegression() {}

  /**
   * Trains one model.
   *
   * @param matrix feature rows
   * @param rows the examples to train on (indices into the matrix)
   * @param targets 1 for positive, 0 for negative, per entry of {@code rows}
   * @param weights example weight per entry of {@code rows} (class weight x group damping)
   * @param buckets size of the hash space
   * @param seed shuffling seed
   */
  public static Weights train(
      FeatureMatrix matrix,
      int[] rows,
      byte[] targets,
      float[] weights,
      int buckets,
      Params params,
      long seed) {
    float[] z = new float[buckets];
    float[] n = new float[buckets];
    double zBias = 0;
    double nBias = 0;
    int m = rows.length;
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    int[] feats = matrix.buckets;
    int[] start = matrix.start;
    double alpha = params.alpha();
    double beta = params.beta();
    double l1 = params.l1();
    double l2 = params.l2();
    for (int epoch = 0; epoch < params.epochs(); epoch++) {
      shuffle(order, new Random(seed * 1_000_003L + epoch));
      for (int step = 0; step < m; step++) {
        int e = order[step];
        int row = rows[e];
        int from = start[row];
        int to = start[row + 1];
        double wBias = -zBias / ((beta + Math.sqrt(nBias)) / alpha);
        double dot = wBias;
        for (int k = from; k < to; k++) {
          int b = feats[k];
          dot += weightOf(z[b], n[b], alpha, beta, l1, l2);
        }
        double p = sigmoid(dot);
        double g = (p - targets[e]) * weights[e];
        if (g == 0) {
          continue;
        }
        double g2 = g * g;
        for (int k = from; k < to; k++) {
          int b = feats[k];
          double ni = n[b];
          double wi = weightOf(z[b], (float) ni, alpha, beta, l1, l2);
          double sigma = (Math.sqrt(ni + g2) - Math.sqrt(ni)) / alpha;
          z[b] = (float) (z[b] + g - sigma * wi);
          n[b] = (float) (ni + g2);
        }
        double sigmaBias = (Math.sqrt(nBias + g2) - Math.sqrt(nBias)) / alpha;
        zBias += g - sigmaBias * wBias;
        nBias += g2;
      }
    }
    float[] w = new float[buckets];
    for (int b = 0; b < buckets; b++) {
      w[b] = (float) weightOf(z[b], n[b], alpha, beta, l1, l2);
    }
    float bias = (float) (-zBias / ((beta + Math.sqrt(nBias)) / alpha));
    return new Weights(w, bias);
  }

  private static double weightOf(
      float z, float n, double alpha, double beta, double l1, double l2) {
    double az = Math.abs(z);
    if (az <= l1) {
      return 0;
    }
    return -(z - Math.signum(z) * l1) / ((beta + Math.sqrt(n)) / alpha + l2);
  }

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
