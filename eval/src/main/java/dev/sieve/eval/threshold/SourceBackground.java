package dev.sieve.eval.threshold;

import dev.sieve.eval.Example;
import dev.sieve.eval.metrics.Wilson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One category's scores on the ordinary (background) dev items of each source separately, sorted,
 * so that the flag rate of every source at any threshold is a binary search.
 */
final class SourceBackground {

  private final Map<String, double[]> descending;

  private SourceBackground(Map<String, double[]> descending) {
    this.descending = descending;
  }

  /** Background items not labelled {@code category}, grouped by their "source" slice. */
  static SourceBackground of(String category, List<Example> examples, double[] scores) {
    Map<String, List<Double>> bySource = new TreeMap<>();
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (!e.background() || e.positive(category)) {
        continue;
      }
      double s = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
      for (String source : e.slice("source")) {
        bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, double[]> out = new TreeMap<>();
    bySource.forEach(
        (source, list) -> {
          double[] a = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
          out.put(source, a);
        });
    return new SourceBackground(out);
  }

  boolean isEmpty() {
    return descending.isEmpty();
  }

  /** Items of {@code sorted} (ascending) at or above {@code t}. */
  private static long atOrAbove(double[] sorted, double t) {
    int i = Arrays.binarySearch(sorted, t);
    if (i < 0) {
      i = -i - 1;
    } else {
      while (i > 0 && sorted[i - 1] == t) {
        i--;
      }
    }
    return sorted.length - i;
  }

  /**
   * The first source (with at least {@code minItems}) significantly above the ceiling at {@code t}.
   */
  String violation(double t, double ceiling, int minItems) {
    for (Map.Entry<String, double[]> e : descending.entrySet()) {
      double[] s = e.getValue();
      if (s.length < minItems) {
        continue;
      }
      long k = atOrAbove(s, t);
      if (Wilson.interval(k, s.length).lower() > ceiling) {
        return String.format(
            Locale.ROOT, "%s: %d of %d flagged at %.4f", e.getKey(), k, s.length, t);
      }
    }
    return null;
  }

  /** The lowest threshold at or above {@code from} at which no source violates the ceiling. */
  double lowestHolding(double from, double ceiling, int minItems) {
    TreeSet<Double> candidates = new TreeSet<>();
    for (double[] s : descending.values()) {
      for (double v : s) {
        if (v > from && !Double.isInfinite(v)) {
          candidates.add(v);
        }
      }
    }
    for (double t : candidates) {
      if (violation(t, ceiling, minItems) == null) {
        return t;
      }
    }
    double max = candidates.isEmpty() ? from : candidates.last();
    return Math.nextUp(max);
  }
}
