package dev.sieve.core.metrics;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Binary classification metrics over scored examples: the numbers a model card reports per
 * category.
 *
 * <p>Pure functions over arrays so that dev-time threshold selection, test-time evaluation and the
 * baselines all compute precision, recall and AUPRC the same way. It lives in core because every
 * tier's trainer reports these numbers in its training report (the eval module's standard card
 * computes its own over whole examples, bootstrap-weighted, in {@code dev.sieve.eval.metrics}); one
 * copy keeps the three trainers' definitions equal. The trainers' bootstrap intervals live here too
 * (content's F1 and AP, llm's stratified AP and paired AP difference); thresholds are chosen by the
 * evaluation standard's {@code ThresholdSelector}, never here.
 */
public final class BinaryMetrics {

  private BinaryMetrics() {}

  /** Counts at one threshold. */
  public record Confusion(long tp, long fp, long fn, long tn) {
    public double precision() {
      return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    public double recall() {
      return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      if (Double.isNaN(p) || Double.isNaN(r) || p + r == 0) {
        return tp == 0 && (tp + fn) > 0 ? 0 : Double.NaN;
      }
      return 2 * p * r / (p + r);
    }

    /** Fraction of negatives predicted positive. */
    public double falsePositiveRate() {
      return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
    }

    public long support() {
      return tp + fn;
    }

    /** Negatives in scope: flagged or not. */
    public long negatives() {
      return fp + tn;
    }
  }

  /** Labels given as 0/1 (as the content trainer keeps them) as booleans: 1 is positive. */
  public static boolean[] positive(int[] labels) {
    boolean[] out = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i] == 1;
    }
    return out;
  }

  /** Decisions {@code score >= threshold} against the labels. */
  public static Confusion confusion(double[] scores, boolean[] positive, double threshold) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean predicted = scores[i] >= threshold;
      if (positive[i]) {
        if (predicted) tp++;
        else fn++;
      } else {
        if (predicted) fp++;
        else tn++;
      }
    }
    return new Confusion(tp, fp, fn, tn);
  }

  /** Confusion of binary predictions (baselines without scores). */
  public static Confusion confusion(boolean[] predicted, boolean[] positive) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (positive[i]) {
        if (predicted[i]) tp++;
        else fn++;
      } else {
        if (predicted[i]) fp++;
        else tn++;
      }
    }
    return new Confusion(tp, fp, fn, tn);
  }

  /** Indices sorted by score, highest first (ties by index for determinism). */
  public static Integer[] byScoreDescending(double[] scores) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(
        idx,
        (a, b) -> {
          int c = Double.compare(scores[b], scores[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    return idx;
  }

  /**
   * Area under the precision-recall curve as average precision (sum over positives of the precision
   * at their rank; tied scores are treated as one threshold). NaN without positives.
   */
  public static double averagePrecision(double[] scores, boolean[] positive) {
    Integer[] idx = byScoreDescending(scores);
    long totalPositives = 0;
    for (boolean p : positive) {
      if (p) totalPositives++;
    }
    if (totalPositives == 0) {
      return Double.NaN;
    }
    double ap = 0;
    long tp = 0;
    long seen = 0;
    int i = 0;
    while (i < idx.length) {
      int j = i;
      long tpGroup = 0;
      while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
        if (positive[idx[j]]) tpGroup++;
        j++;
      }
      tp += tpGroup;
      seen += j - i;
      ap += tpGroup * ((double) tp / seen);
      i = j;
    }
    return ap / totalPositives;
  }

  /** The highest recall reachable at precision >= {@code minPrecision} (over all thresholds). */
  public static double maxRecallAtPrecision(
      double[] scores, boolean[] positive, double minPrecision) {
    Integer[] idx = byScoreDescending(scores);
    long totalPositives = 0;
    for (boolean p : positive) {
      if (p) totalPositives++;
    }
    if (totalPositives == 0) {
      return Double.NaN;
    }
    long tp = 0;
    long seen = 0;
    double best = 0;
    int i = 0;
    while (i < idx.length) {
      int j = i;
      while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
        if (positive[idx[j]]) tp++;
        j++;
      }
      seen += j - i;
      if ((double) tp / seen >= minPrecision) {
        best = Math.max(best, (double) tp / totalPositives);
      }
      i = j;
    }
    return best;
  }

  /**
   * The share of negatives flagged by the highest threshold that reaches {@code recall}: what a
   * recall target costs in over-blocking. NaN without positives.
   */
  public static double negativeRateAtRecall(double[] scores, boolean[] positive, double recall) {
    Integer[] idx = byScoreDescending(scores);
    long totalPositives = 0;
    for (boolean p : positive) {
      if (p) totalPositives++;
    }
    long totalNegatives = positive.length - totalPositives;
    if (totalPositives == 0 || totalNegatives == 0) {
      return Double.NaN;
    }
    long tp = 0;
    long fp = 0;
    int i = 0;
    while (i < idx.length) {
      int j = i;
      while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
        if (positive[idx[j]]) tp++;
        else fp++;
        j++;
      }
      if ((double) tp / totalPositives >= recall) {
        return (double) fp / totalNegatives;
      }
      i = j;
    }
    return 1.0;
  }

  /**
   * Percentile bootstrap 95% intervals of precision, recall and F1 at a threshold (resampling
   * examples with replacement, deterministic seed). Returns {p_lo, p_hi, r_lo, r_hi, f1_lo, f1_hi}.
   */
  public static double[] bootstrap(
      double[] scores, boolean[] positive, double threshold, int rounds, long seed) {
    int n = scores.length;
    boolean[] predicted = new boolean[n];
    for (int i = 0; i < n; i++) {
      predicted[i] = scores[i] >= threshold;
    }
    double[] p = new double[rounds];
    double[] r = new double[rounds];
    double[] f = new double[rounds];
    Random random = new Random(seed);
    for (int round = 0; round < rounds; round++) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (int k = 0; k < n; k++) {
        int i = random.nextInt(n);
        if (positive[i]) {
          if (predicted[i]) tp++;
          else fn++;
        } else if (predicted[i]) {
          fp++;
        }
      }
      Confusion c = new Confusion(tp, fp, fn, 0);
      p[round] = c.precision();
      r[round] = c.recall();
      f[round] = c.f1();
    }
    return new double[] {
      percentile(p, 0.025),
      percentile(p, 0.975),
      percentile(r, 0.025),
      percentile(r, 0.975),
      percentile(f, 0.025),
      percentile(f, 0.975)
    };
  }

  private static double percentile(double[] values, double q) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))));
    return v[i];
  }

  /**
   * Expected calibration error over {@code bins} equal-width bins: sum over bins of |mean predicted
   * - observed rate| weighted by the bin's share of examples.
   */
  public static double expectedCalibrationError(
      double[] probabilities, boolean[] positive, int bins) {
    double[][] table = reliability(probabilities, positive, bins);
    double ece = 0;
    int n = probabilities.length;
    for (double[] row : table) {
      if (row[2] > 0) {
        ece += (row[2] / n) * Math.abs(row[0] - row[1]);
      }
    }
    return ece;
  }

  /** Reliability table: per bin {mean predicted, observed positive rate, count}. */
  public static double[][] reliability(double[] probabilities, boolean[] positive, int bins) {
    double[][] table = new double[bins][3];
    for (int i = 0; i < probabilities.length; i++) {
      int b = (int) Math.min(bins - 1, Math.max(0, Math.floor(probabilities[i] * bins)));
      table[b][0] += probabilities[i];
      table[b][1] += positive[i] ? 1 : 0;
      table[b][2] += 1;
    }
    for (double[] row : table) {
      if (row[2] > 0) {
        row[0] /= row[2];
        row[1] /= row[2];
      }
    }
    return table;
  }

  /**
   * ROC AUC: the probability that a random positive outranks a random negative, ties counting one
   * half (Mann-Whitney rank sum with average ranks for ties). NaN without positives or negatives.
   */
  public static double rocAuc(double[] scores, boolean[] positive) {
    Integer[] order = byScoreDescending(scores);
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

  /**
   * Percentile bootstrap 95% intervals of F1 at a threshold and of average precision, resampling
   * examples with replacement ({@code rounds} draws, fixed seed): {f1Lo, f1Hi, apLo, apHi}. Draws
   * where either is undefined are skipped; all NaN when more than half are.
   */
  public static double[] bootstrapF1AndAveragePrecision(
      double[] scores, boolean[] positive, double threshold, int rounds, long seed) {
    Random random = new Random(seed);
    int n = scores.length;
    double[] f1 = new double[rounds];
    double[] ap = new double[rounds];
    double[] s = new double[n];
    boolean[] l = new boolean[n];
    int valid = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n);
        s[i] = scores[j];
        l[i] = positive[j];
      }
      double f = confusion(s, l, threshold).f1();
      double a = averagePrecision(s, l);
      if (!Double.isNaN(f) && !Double.isNaN(a)) {
        f1[valid] = f;
        ap[valid] = a;
        valid++;
      }
    }
    if (valid < rounds / 2) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double[] f1s = Arrays.copyOf(f1, valid);
    double[] aps = Arrays.copyOf(ap, valid);
    Arrays.sort(f1s);
    Arrays.sort(aps);
    return new double[] {
      lowerPercentile(f1s, 0.025),
      lowerPercentile(f1s, 0.975),
      lowerPercentile(aps, 0.025),
      lowerPercentile(aps, 0.975)
    };
  }

  /** The sorted value at {@code floor(q * (n - 1))}. */
  private static double lowerPercentile(double[] sorted, double q) {
    int index = (int) Math.floor(q * (sorted.length - 1));
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /**
   * 95% percentile bootstrap interval of the average precision, resampling positives and negatives
   * separately (so every replicate keeps the support), {@code replicates} draws, fixed seed. NaN
   * without positives or without negatives.
   */
  public static double[] bootstrapApInterval(
      double[] scores, boolean[] positive, int replicates, long seed) {
    int[] pos = IntStream.range(0, scores.length).filter(i -> positive[i]).toArray();
    int[] neg = IntStream.range(0, scores.length).filter(i -> !positive[i]).toArray();
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
   * 95% percentile bootstrap interval of AP(a) - AP(b) on the same items: each replicate resamples
   * positives and negatives (stratified, like {@link #bootstrapApInterval}) and scores both
   * rankings on that one resample, so the interval reflects the paired difference.
   */
  public static double[] bootstrapApDifference(
      double[] a, double[] b, boolean[] positive, int replicates, long seed) {
    int[] pos = IntStream.range(0, positive.length).filter(i -> positive[i]).toArray();
    int[] neg = IntStream.range(0, positive.length).filter(i -> !positive[i]).toArray();
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
}
