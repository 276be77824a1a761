package dev.sieve.llm.eval;

import dev.sieve.core.metrics.BinaryMetrics;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * Ranking and threshold metrics for one binary task, computed here because the eval module's API
 * was not installed when this tier's card had to be produced (sieve-eval was not in the local Maven
 * repository). Definitions follow scikit-learn so numbers are comparable with the other cards:
 * average precision = sum over thresholds of (R_k - R_{k-1}) * P_k with tied scores grouped;
 * precision/recall/F1 count {@code score >= threshold} as positive.
 */
public final class Metrics {

  private Metrics() {}

  /** Precision, recall and F1 at a threshold plus the confusion counts. */
  public record AtThreshold(
      double threshold,
      double precision,
      double recall,
      double f1,
      int tp,
      int fp,
      int fn,
      int tn) {}

  /**
   * Average precision (area under the precision-recall curve, step-wise); NaN without positives.
   */
  public static double averagePrecision(double[] scores, boolean[] positive) {
    return BinaryMetrics.averagePrecision(scores, positive);
  }

  /** ROC AUC (probability a random positive outranks a random negative, ties count half). */
  public static double rocAuc(double[] scores, boolean[] positive) {
    Integer[] order = order(scores);
    long pos = 0;
    long neg = 0;
    for (boolean p : positive) {
      if (p) {
        pos++;
      } else {
        neg++;
      }
    }
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    // Rank-sum (Mann-Whitney) with average ranks for ties; order is descending.
    double rankSumPos = 0;
    int n = order.length;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && scores[order[j]] == scores[order[i]]) {
        j++;
      }
      double avgRankAscending = n - (i + j - 1) / 2.0;
      for (int k = i; k < j; k++) {
        if (positive[order[k]]) {
          rankSumPos += avgRankAscending;
        }
      }
      i = j;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }

  public static AtThreshold at(double[] scores, boolean[] positive, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean predicted = scores[i] >= threshold;
      if (predicted && positive[i]) {
        tp++;
      } else if (predicted) {
        fp++;
      } else if (positive[i]) {
        fn++;
      } else {
        tn++;
      }
    }
    double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new AtThreshold(threshold, precision, recall, f1, tp, fp, fn, tn);
  }

  /**
   * The threshold among the scores that maximizes F1 (ties: the higher threshold, fewer blocks);
   * 1.0 when there are no positives.
   */
  public static double maxF1Threshold(double[] scores, boolean[] positive) {
    double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
    double best = 1.0;
    double bestF1 = -1;
    for (double t : candidates) {
      double f1 = at(scores, positive, t).f1();
      if (f1 >= bestF1) {
        bestF1 = f1;
        best = t;
      }
    }
    return best;
  }

  /**
   * 95% percentile bootstrap interval of the average precision, resampling positives and negatives
   * separately (so every replicate keeps the support), {@code replicates} draws, fixed seed.
   */
  public static double[] bootstrapApInterval(
      double[] scores, boolean[] positive, int replicates, long seed) {
    int[] pos =
        java.util.stream.IntStream.range(0, scores.length).filter(i -> positive[i]).toArray();
    int[] neg =
        java.util.stream.IntStream.range(0, scores.length).filter(i -> !positive[i]).toArray();
    if (pos.length == 0 || neg.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    Random random = new Random(seed);
    double[] aps = new double[replicates];
    double[] s = new double[scores.length];
    boolean[] y = new boolean[scores.length];
    for (int r = 0; r < replicates; r++) {
      int k = 0;
      for (int i = 0; i < pos.length; i++) {
        int pick = pos[random.nextInt(pos.length)];
        s[k] = scores[pick];
        y[k++] = true;
      }
      for (int i = 0; i < neg.length; i++) {
        int pick = neg[random.nextInt(neg.length)];
        s[k] = scores[pick];
        y[k++] = false;
      }
      aps[r] = averagePrecision(s, y);
    }
    Arrays.sort(aps);
    return new double[] {
      aps[(int) Math.floor(0.025 * (replicates - 1))],
      aps[(int) Math.ceil(0.975 * (replicates - 1))]
    };
  }

  /**
   * 95% percentile bootstrap interval of AP(a) − AP(b) on the same items: each replicate resamples
   * positives and negatives (stratified, like {@link #bootstrapApInterval}) and scores both
   * rankings on that one resample, so the interval reflects the paired difference.
   */
  public static double[] bootstrapApDifference(
      double[] a, double[] b, boolean[] positive, int replicates, long seed) {
    int[] pos =
        java.util.stream.IntStream.range(0, positive.length).filter(i -> positive[i]).toArray();
    int[] neg =
        java.util.stream.IntStream.range(0, positive.length).filter(i -> !positive[i]).toArray();
    if (pos.length == 0 || replicates <= 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    Random random = new Random(seed);
    double[] diffs = new double[replicates];
    double[] sa = new double[positive.length];
    double[] sb = new double[positive.length];
    boolean[] y = new boolean[positive.length];
    for (int r = 0; r < replicates; r++) {
      int k = 0;
      for (int i = 0; i < pos.length; i++, k++) {
        int pick = pos[random.nextInt(pos.length)];
        sa[k] = a[pick];
        sb[k] = b[pick];
        y[k] = true;
      }
      for (int i = 0; i < neg.length; i++, k++) {
        int pick = neg[random.nextInt(neg.length)];
        sa[k] = a[pick];
        sb[k] = b[pick];
        y[k] = false;
      }
      diffs[r] = averagePrecision(sa, y) - averagePrecision(sb, y);
    }
    Arrays.sort(diffs);
    return new double[] {
      diffs[(int) Math.floor(0.025 * (replicates - 1))],
      diffs[(int) Math.ceil(0.975 * (replicates - 1))]
    };
  }

  private static Integer[] order(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    return order;
  }
}
