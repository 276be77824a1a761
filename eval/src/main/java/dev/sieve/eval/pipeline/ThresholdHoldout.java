package dev.sieve.eval.pipeline;

import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.threshold.DevSplit;
import dev.sieve.eval.threshold.ThresholdSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leave-one-source-out for a tier whose only data-fitted part is its decision thresholds (the
 * zero-shot tier: prototypes written by hand, a monotonic calibration per category, which cannot
 * change a ranking): thresholds re-chosen by the standard's rules on the dev split without the
 * source, then measured on every dev and test record of the source.
 */
final class ThresholdHoldout {

  static final int MIN_POSITIVES = 30;
  static final int MIN_ORDINARY = 100;

  private ThresholdHoldout() {}

  static LeaveOneSourceOut run(
      List<Example> dev,
      Scores devScores,
      List<Example> test,
      Scores testScores,
      Map<String, Double> full,
      EvaluationPolicy policy,
      EvalOptions options,
      String datasetVersion) {
    List<Example> all = new ArrayList<>(dev);
    all.addAll(test);
    List<String> categories = devScores.categories();
    Map<String, int[]> counts = new TreeMap<>();
    for (Example e : all) {
      for (String source : e.slice("source")) {
        int[] c = counts.computeIfAbsent(source, s -> new int[categories.size() + 1]);
        for (int k = 0; k < categories.size(); k++) {
          c[k] += e.positive(categories.get(k)) ? 1 : 0;
        }
        c[categories.size()] += e.background() ? 1 : 0;
      }
    }
    EvalOptions fast = options.withBootstrap(0, options.seed());
    List<LeaveOneSourceOut.Fold> folds = new ArrayList<>();
    for (Map.Entry<String, int[]> entry : counts.entrySet()) {
      String source = entry.getKey();
      int[] c = entry.getValue();
      boolean enough = c[categories.size()] >= MIN_ORDINARY;
      for (int k = 0; k < categories.size(); k++) {
        enough |= c[k] >= MIN_POSITIVES;
      }
      if (!enough) {
        continue;
      }
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < dev.size(); i++) {
        if (!dev.get(i).slice("source").contains(source)) {
          keep.add(i);
        }
      }
      Map<String, double[]> kept = new LinkedHashMap<>();
      for (String cat : categories) {
        double[] s = devScores.get(cat);
        kept.put(cat, keep.stream().mapToDouble(i -> s[i]).toArray());
      }
      List<Example> keptDev = keep.stream().map(dev::get).toList();
      Map<String, Double> fold =
          ThresholdSelector.select(
                  DevSplit.of(keptDev, Scores.of(kept, keptDev.size())),
                  policy.thresholds(),
                  fast,
                  datasetVersion,
                  "raw")
              .values();
      List<LeaveOneSourceOut.FoldCategory> rows = new ArrayList<>();
      long items = 0;
      for (Example e : all) {
        items += e.slice("source").contains(source) ? 1 : 0;
      }
      for (String cat : categories) {
        long[] held =
            counts(
                source,
                dev,
                devScores.get(cat),
                test,
                testScores.get(cat),
                fold.get(cat),
                cat,
                true);
        long[] inDist =
            counts(
                source,
                List.of(),
                new double[0],
                test,
                testScores.get(cat),
                full.get(cat),
                cat,
                false);
        if (held[0] == 0 && held[2] == 0) {
          continue;
        }
        rows.add(
            new LeaveOneSourceOut.FoldCategory(
                cat,
                held[0],
                held[2],
                round(fold.get(cat)),
                held[0] == 0
                    ? null
                    : Estimate.of((double) held[1] / held[0], Wilson.interval(held[1], held[0])),
                inDist[0] == 0 ? null : round((double) inDist[1] / inDist[0]),
                held[2] == 0
                    ? null
                    : Estimate.of((double) held[3] / held[2], Wilson.interval(held[3], held[2])),
                inDist[2] == 0 ? null : round((double) inDist[3] / inDist[2])));
      }
      folds.add(new LeaveOneSourceOut.Fold(source, items, rows));
    }
    return new LeaveOneSourceOut(
        "For each source with >= "
            + MIN_POSITIVES
            + " positives or >= "
            + MIN_ORDINARY
            + " ordinary records in dev+test: thresholds re-chosen by release-gate.yaml on the dev split without it,"
            + " measured on all of its dev and test records. The tier trains no weights on the dataset (hand-written"
            + " prototypes; a monotonic calibration per category, which cannot change a ranking), so thresholds are"
            + " everything a source could have influenced.",
        datasetVersion,
        folds);
  }

  /** positives, caught, ordinary, ordinary flagged for {@code source} (dev too when asked). */
  private static long[] counts(
      String source,
      List<Example> dev,
      double[] devScores,
      List<Example> test,
      double[] testScores,
      Double threshold,
      String category,
      boolean withDev) {
    long[] c = new long[4];
    if (threshold == null) {
      return c;
    }
    add(c, source, test, testScores, threshold, category);
    if (withDev) {
      add(c, source, dev, devScores, threshold, category);
    }
    return c;
  }

  private static void add(
      long[] c, String source, List<Example> examples, double[] scores, double t, String category) {
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (!e.slice("source").contains(source)) {
        continue;
      }
      boolean flagged = !Double.isNaN(scores[i]) && scores[i] >= t;
      if (e.positive(category)) {
        c[0]++;
        c[1] += flagged ? 1 : 0;
      } else if (e.background()) {
        c[2]++;
        c[3] += flagged ? 1 : 0;
      }
    }
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1e4) / 1e4;
  }
}
