package dev.sieve.eval.metrics;

/**
 * Counts of one category at one threshold (possibly bootstrap-weighted), and the rates derived from
 * them.
 *
 * <p>Undefined rates are {@code NaN}, never a made-up 0 or 1: precision with nothing flagged,
 * recall with no positives, F1 with neither positives nor flags. Cards print them as "n/a".
 *
 * @param tp positives flagged
 * @param fp in-scope negatives flagged
 * @param fn positives not flagged
 * @param tn in-scope negatives not flagged
 * @param backgroundFlagged background (ordinary-traffic) items flagged
 * @param backgroundTotal background items in scope
 */
public record Confusion(
    long tp, long fp, long fn, long tn, long backgroundFlagged, long backgroundTotal) {

  public double precision() {
    return ratio(tp, tp + fp);
  }

  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** F1 = 2TP / (2TP + FP + FN): equal to the harmonic mean of P and R where both exist. */
  public double f1() {
    return ratio(2 * tp, 2 * tp + fp + fn);
  }

  /** Share of background items flagged: the over-blocking rate of this category. */
  public double backgroundFlagRate() {
    return ratio(backgroundFlagged, backgroundTotal);
  }

  /** False-positive rate among all in-scope negatives. */
  public double falsePositiveRate() {
    return ratio(fp, fp + tn);
  }

  public long positives() {
    return tp + fn;
  }

  public long negatives() {
    return fp + tn;
  }

  static double ratio(long num, long den) {
    return den == 0 ? Double.NaN : (double) num / den;
  }
}
