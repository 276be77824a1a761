package dev.sieve.content.train;

import dev.sieve.core.metrics.BinaryMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Metrics tables for one scorer's outputs over a list of examples: per category, per slice, the
 * multi-label confusion and the cross-category flag matrix. Every count is restricted to the
 * examples whose labels are in scope for the category; a NaN score is "no opinion" and never flags.
 */
public final class Evaluation {

  private Evaluation() {}

  /** Test metrics of one category at its threshold. */
  public record CategoryMetrics(
      String category,
      int positives,
      int negatives,
      double threshold,
      BinaryMetrics.Confusion counts,
      double averagePrecision,
      double[] bootstrap) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("support", positives);
      m.put("negatives", negatives);
      m.put("threshold", round(threshold));
      m.put("precision", round(counts.precision()));
      m.put("recall", round(counts.recall()));
      m.put("f1", round(counts.f1()));
      m.put("auprc", round(averagePrecision));
      m.put("false_positive_rate", round(counts.falsePositiveRate()));
      if (bootstrap != null) {
        m.put("f1_ci95", List.of(round(bootstrap[0]), round(bootstrap[1])));
        m.put("auprc_ci95", List.of(round(bootstrap[2]), round(bootstrap[3])));
      }
      m.put("tp", counts.tp());
      m.put("fp", counts.fp());
      m.put("fn", counts.fn());
      m.put("tn", counts.tn());
      return m;
    }
  }

  /** Scores and labels of one category restricted to in-scope examples with an opinion. */
  public record Column(double[] scores, int[] labels, int[] exampleIndex) {}

  public static Column column(List<TextExample> examples, String category, double[] scores) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).inScope(category)) {
        keep.add(i);
      }
    }
    double[] s = new double[keep.size()];
    int[] l = new int[keep.size()];
    int[] idx = new int[keep.size()];
    for (int j = 0; j < keep.size(); j++) {
      int i = keep.get(j);
      // No opinion ranks below everything and never reaches a threshold.
      s[j] = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
      l[j] = examples.get(i).positive(category) ? 1 : 0;
      idx[j] = i;
    }
    return new Column(s, l, idx);
  }

  public static CategoryMetrics category(
      List<TextExample> examples,
      String category,
      double[] scores,
      double threshold,
      boolean withBootstrap) {
    Column c = column(examples, category, scores);
    boolean[] positive = BinaryMetrics.positive(c.labels());
    BinaryMetrics.Confusion counts = BinaryMetrics.confusion(c.scores(), positive, threshold);
    double ap = BinaryMetrics.averagePrecision(c.scores(), positive);
    double[] ci =
        withBootstrap && counts.support() > 0
            ? BinaryMetrics.bootstrapF1AndAveragePrecision(
                c.scores(), positive, threshold, 1000, category.hashCode())
            : null;
    return new CategoryMetrics(
        category, (int) counts.support(), (int) counts.negatives(), threshold, counts, ap, ci);
  }

  /** Per-slice metrics (slice value to category to metrics map), for slices with in-scope data. */
  public static Map<String, Map<String, Object>> slices(
      List<TextExample> examples,
      Function<TextExample, String> sliceOf,
      List<String> categories,
      Map<String, double[]> scores,
      Map<String, Double> thresholds) {
    Map<String, List<Integer>> bySlice = new TreeMap<>();
    for (int i = 0; i < examples.size(); i++) {
      bySlice.computeIfAbsent(sliceOf.apply(examples.get(i)), k -> new ArrayList<>()).add(i);
    }
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    bySlice.forEach(
        (slice, indices) -> {
          List<TextExample> sub = indices.stream().map(examples::get).toList();
          Map<String, Object> perCategory = new LinkedHashMap<>();
          for (String category : categories) {
            double[] all = scores.get(category);
            if (all == null) {
              continue;
            }
            double[] s = indices.stream().mapToDouble(i -> all[i]).toArray();
            Column c = column(sub, category, s);
            if (c.labels().length == 0) {
              continue;
            }
            boolean[] positive = BinaryMetrics.positive(c.labels());
            BinaryMetrics.Confusion counts =
                BinaryMetrics.confusion(c.scores(), positive, thresholds.get(category));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", c.labels().length);
            m.put("positives", counts.support());
            if (counts.support() > 0) {
              m.put("recall", round(counts.recall()));
            }
            if (counts.negatives() > 0) {
              m.put("false_positive_rate", round(counts.falsePositiveRate()));
            }
            if (counts.support() > 0 && counts.tp() + counts.fp() > 0) {
              m.put("precision", round(counts.precision()));
              m.put("f1", round(counts.f1()));
            }
            if (counts.support() >= 5 && counts.negatives() >= 5) {
              m.put("auprc", round(BinaryMetrics.averagePrecision(c.scores(), positive)));
            }
            perCategory.put(category, m);
          }
          if (!perCategory.isEmpty()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("examples", indices.size());
            entry.put("categories", perCategory);
            out.put(slice, entry);
          }
        });
    return out;
  }

  /**
   * Which categories get mistaken for which: for test examples positive for row category A, the
   * share flagged for column category B (only examples in B's scope count).
   */
  public static Map<String, Map<String, Object>> crossFlags(
      List<TextExample> examples,
      List<String> categories,
      Map<String, double[]> scores,
      Map<String, Double> thresholds) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String a : categories) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String b : categories) {
        int n = 0;
        int flagged = 0;
        for (int i = 0; i < examples.size(); i++) {
          TextExample e = examples.get(i);
          if (!e.positive(a) || !e.inScope(b)) {
            continue;
          }
          n++;
          double s = scores.get(b)[i];
          if (!Double.isNaN(s) && s >= thresholds.get(b)) {
            flagged++;
          }
        }
        if (n > 0) {
          row.put(b, Map.of("n", n, "flag_rate", round((double) flagged / n)));
        }
      }
      out.put(a, row);
    }
    return out;
  }

  public static Double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return Math.round(v * 10000.0) / 10000.0;
  }
}
