package dev.sieve.url.eval;

import dev.sieve.core.metrics.BinaryMetrics;

/**
 * Chooses a category's decision threshold on the dev split: the threshold with the best F1 among
 * those that flag at most {@code maxBackgroundFlagRate} of the dev background hosts (ordinary
 * popular sites). Tuning against a realistic background, not only against the mix of lists, is what
 * keeps over-blocking low in production.
 */
public final class ThresholdSelector {

  /** The chosen threshold and the dev numbers behind it. */
  public record Choice(
      double threshold,
      double f1,
      double precision,
      double recall,
      double backgroundFlagRate,
      String rule) {}

  private ThresholdSelector() {}

  /**
   * @param scores calibrated dev scores of the in-scope examples
   * @param positive labels of those examples
   * @param isBackground which examples are background hosts (the over-blocking reference)
   * @param maxBackgroundFlagRate the over-blocking budget, e.g. 0.01
   */
  public static Choice choose(
      double[] scores, boolean[] positive, boolean[] isBackground, double maxBackgroundFlagRate) {
    Integer[] idx = BinaryMetrics.byScoreDescending(scores);
    long totalPositives = 0;
    long totalBackground = 0;
    for (int i = 0; i < scores.length; i++) {
      if (positive[i]) totalPositives++;
      if (isBackground[i] && !positive[i]) totalBackground++;
    }
    String rule =
        String.format(
            java.util.Locale.ROOT,
            "max dev F1 subject to dev background flag rate <= %.3f",
            maxBackgroundFlagRate);
    if (totalPositives == 0) {
      return new Choice(
          1.0, Double.NaN, Double.NaN, Double.NaN, 0, rule + " (no dev positives: threshold 1.0)");
    }
    long tp = 0;
    long fp = 0;
    long bgFlagged = 0;
    double bestF1 = -1;
    Choice best = new Choice(1.0, 0, Double.NaN, 0, 0, rule);
    int i = 0;
    while (i < idx.length) {
      int j = i;
      double s = scores[idx[i]];
      while (j < idx.length && scores[idx[j]] == s) {
        int e = idx[j];
        if (positive[e]) {
          tp++;
        } else {
          fp++;
          if (isBackground[e]) bgFlagged++;
        }
        j++;
      }
      double flagRate = totalBackground == 0 ? 0 : (double) bgFlagged / totalBackground;
      if (flagRate > maxBackgroundFlagRate) {
        break;
      }
      double precision = (double) tp / (tp + fp);
      double recall = (double) tp / totalPositives;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      if (f1 > bestF1) {
        bestF1 = f1;
        // Place the threshold halfway to the next lower score, so tiny float noise cannot flip
        // ties.
        double next = j < idx.length ? scores[idx[j]] : 0;
        double threshold = (s + next) / 2;
        best = new Choice(threshold, f1, precision, recall, flagRate, rule);
      }
      i = j;
    }
    return best;
  }
}
