package dev.sieve.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * One category's examples collapsed into tie groups of equal score, in descending score order, with
 * (possibly bootstrap-weighted) positive, negative and background counts per group.
 *
 * <p>Every ranking metric is a single pass over the groups, which is what makes 1,000 bootstrap
 * resamples affordable: sorting happens once in {@link RankedCategory}, each resample only
 * re-counts. Handling ties as groups (not items) is also what makes AP and AUROC independent of the
 * arbitrary order of tied items.
 *
 * @param score group score, descending; {@code -Infinity} is the "no opinion" group
 * @param pos positives per group
 * @param neg in-scope negatives per group
 * @param bg background items per group (a subset of {@code neg})
 */
public record GroupCounts(
    double[] score, long[] pos, long[] neg, long[] bg, long totalPos, long totalNeg, long totalBg) {

  public int groups() {
    return score.length;
  }

  /** Counts when flagging every item with score {@code >= threshold}. */
  public Confusion at(double threshold) {
    long tp = 0;
    long fp = 0;
    long bgf = 0;
    for (int g = 0; g < score.length && score[g] >= threshold; g++) {
      tp += pos[g];
      fp += neg[g];
      bgf += bg[g];
    }
    return new Confusion(tp, fp, totalPos - tp, totalNeg - fp, bgf, totalBg);
  }

  /**
   * Average precision: sum over distinct thresholds of (recall increase) x (precision there), the
   * step-wise area under the precision-recall curve without interpolation (as scikit-learn's {@code
   * average_precision_score}). {@code NaN} without positives.
   */
  public double averagePrecision() {
    if (totalPos == 0) {
      return Double.NaN;
    }
    double ap = 0;
    long tp = 0;
    long fp = 0;
    for (int g = 0; g < score.length; g++) {
      if (pos[g] == 0) {
        fp += neg[g];
        continue;
      }
      tp += pos[g];
      fp += neg[g];
      ap += ((double) pos[g] / totalPos) * ((double) tp / (tp + fp));
    }
    return ap;
  }

  /**
   * Area under the ROC curve: the probability that a random positive outranks a random negative,
   * ties counting one half (Mann-Whitney). {@code NaN} without positives or without negatives.
   */
  public double auroc() {
    if (totalPos == 0 || totalNeg == 0) {
      return Double.NaN;
    }
    double wins = 0;
    long negSeen = 0;
    for (int g = 0; g < score.length; g++) {
      negSeen += neg[g];
      long negBelow = totalNeg - negSeen;
      wins += pos[g] * (negBelow + 0.5 * neg[g]);
    }
    return wins / ((double) totalPos * totalNeg);
  }

  /**
   * The precision-recall curve at every distinct finite threshold, thinned to at most {@code
   * maxPoints} (first and last kept), for plots.
   */
  public List<CurvePoint> precisionRecallCurve(int maxPoints) {
    List<CurvePoint> all = new ArrayList<>();
    if (totalPos == 0) {
      return all;
    }
    long tp = 0;
    long fp = 0;
    for (int g = 0; g < score.length; g++) {
      if (Double.isInfinite(score[g])) {
        break;
      }
      tp += pos[g];
      fp += neg[g];
      all.add(new CurvePoint(score[g], (double) tp / totalPos, (double) tp / (tp + fp)));
    }
    if (all.size() <= maxPoints) {
      return all;
    }
    List<CurvePoint> thin = new ArrayList<>(maxPoints);
    for (int i = 0; i < maxPoints; i++) {
      long idx = Math.round((double) i * (all.size() - 1) / (maxPoints - 1));
      thin.add(all.get((int) idx));
    }
    return thin;
  }

  /**
   * One point of a precision-recall curve.
   *
   * @param threshold flag items with score >= threshold
   */
  public record CurvePoint(double threshold, double recall, double precision) {}
}
