package dev.sieve.core.metrics;

/**
 * The score bins every score distribution in Sieve uses: the model card's reference histogram
 * (eval's {@code Evaluator}), the router's live {@code sieve_router_category_score} histograms and
 * the drift report that compares the two. One definition, because a PSI or Jensen-Shannon value is
 * only meaningful when both sides are counted over the same edges.
 *
 * <p>{@value #BINS} equal-width bins on [0, 1]: upper edges 0.05, 0.10, ..., 1.00. Bin {@code i}
 * holds scores in {@code [i/20, (i+1)/20)}, the last bin also holds 1.0. Prometheus buckets are
 * upper-inclusive ({@code le}), so a score exactly on an inner edge lands one bin lower on the live
 * side than in the card; served scores are continuous, so the difference is confined to the
 * exact-edge values (documented in docs/operations.md, "Drift").
 */
public final class ScoreBins {

  /** Number of bins. */
  public static final int BINS = 20;

  private ScoreBins() {}

  /** The upper edges, ascending, the last one 1.0 (a fresh copy). */
  public static double[] upperEdges() {
    double[] edges = new double[BINS];
    for (int i = 0; i < BINS; i++) {
      // Rounded so the exported le labels read 0.05, 0.1, 0.15 ... instead of 0.15000000000000002.
      edges[i] = Math.round((i + 1) * 100.0 / BINS) / 100.0;
    }
    return edges;
  }

  /**
   * The bin a score falls into ({@code [i/20, (i+1)/20)}, 1.0 in the last); -1 for NaN or infinity.
   */
  public static int bin(double score) {
    if (Double.isNaN(score) || Double.isInfinite(score)) {
      return -1;
    }
    int i = (int) (score * BINS);
    return Math.max(0, Math.min(i, BINS - 1));
  }
}
