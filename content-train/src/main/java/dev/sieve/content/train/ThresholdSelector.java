package dev.sieve.content.train;

/**
 * Chooses a category's decision threshold on the dev split (never on test).
 *
 * <p>Two rules: {@code max_f1_dev} (the threshold with the best dev F1; on ties the higher
 * threshold, which flags less) for ordinary categories, and {@code recall_floor_dev:<r>} (the
 * highest threshold whose dev recall is at least r) for fail-closed categories (adult, self_harm),
 * where a miss costs more than a false alarm.
 */
public final class ThresholdSelector {

  /** A chosen threshold and the rule that chose it. */
  public record Choice(double threshold, String rule, Metrics.Counts devCounts) {}

  private ThresholdSelector() {}

  public static Choice maxF1(double[] scores, int[] labels) {
    Integer[] order = Metrics.sortedDescending(scores);
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    double bestF1 = -1;
    double bestThreshold = 1.0;
    int tp = 0;
    int seen = 0;
    int i = 0;
    while (i < order.length) {
      double score = scores[order[i]];
      while (i < order.length && scores[order[i]] == score) {
        tp += labels[order[i]];
        seen++;
        i++;
      }
      double precision = (double) tp / seen;
      double recall = positives == 0 ? 0 : (double) tp / positives;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        bestThreshold = score;
      }
    }
    return new Choice(bestThreshold, "max_f1_dev", Metrics.counts(scores, labels, bestThreshold));
  }

  public static Choice recallFloor(double[] scores, int[] labels, double floor) {
    Integer[] order = Metrics.sortedDescending(scores);
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    double threshold = order.length == 0 ? 0.5 : scores[order[order.length - 1]];
    int tp = 0;
    int i = 0;
    while (i < order.length) {
      double score = scores[order[i]];
      while (i < order.length && scores[order[i]] == score) {
        tp += labels[order[i]];
        i++;
      }
      if (positives > 0 && (double) tp / positives >= floor) {
        threshold = score;
        break;
      }
    }
    String rule = String.format(java.util.Locale.ROOT, "recall_floor_dev:%.2f", floor);
    return new Choice(threshold, rule, Metrics.counts(scores, labels, threshold));
  }
}
