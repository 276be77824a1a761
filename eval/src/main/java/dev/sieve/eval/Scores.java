package dev.sieve.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-category scores aligned with a list of {@link Example}s: {@code get(category)[i]} is the
 * score of example {@code i}.
 *
 * <p>{@code NaN} means "no opinion" (the tier did not return the category for that input, as the
 * Scorer contract allows): such an example is never flagged and ranks below every scored one. This
 * keeps "did not look" distinct from "looked and found a low score" without inventing a number.
 */
public final class Scores {

  private final Map<String, double[]> byCategory;
  private final int size;

  private Scores(Map<String, double[]> byCategory, int size) {
    this.byCategory = byCategory;
    this.size = size;
  }

  /**
   * Validates and wraps scores. Categories keep the caller's order (taxonomy order is what cards
   * print).
   *
   * @throws IllegalArgumentException when an array has the wrong length or a score is outside [0,
   *     1] (a silent out-of-range score would corrupt every curve)
   */
  public static Scores of(Map<String, double[]> byCategory, int size) {
    Map<String, double[]> copy = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : byCategory.entrySet()) {
      double[] values = e.getValue();
      if (values.length != size) {
        throw new IllegalArgumentException(
            "scores for '"
                + e.getKey()
                + "' have "
                + values.length
                + " values for "
                + size
                + " examples");
      }
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        if (!Double.isNaN(v) && (v < 0.0 || v > 1.0)) {
          throw new IllegalArgumentException(
              "score " + v + " for '" + e.getKey() + "' at example " + i + " is outside [0, 1]");
        }
      }
      copy.put(e.getKey(), values.clone());
    }
    return new Scores(Collections.unmodifiableMap(copy), size);
  }

  public List<String> categories() {
    return new ArrayList<>(byCategory.keySet());
  }

  public boolean has(String category) {
    return byCategory.containsKey(category);
  }

  /** The scores of one category (a copy-free view: do not modify). */
  public double[] get(String category) {
    double[] v = byCategory.get(category);
    if (v == null) {
      throw new IllegalArgumentException("no scores for category '" + category + "'");
    }
    return v;
  }

  public int size() {
    return size;
  }

  /** Scores restricted to the given example indices (same category order). */
  public Scores subset(int[] indices) {
    Map<String, double[]> out = new LinkedHashMap<>();
    byCategory.forEach(
        (c, v) -> {
          double[] s = new double[indices.length];
          for (int i = 0; i < indices.length; i++) {
            s[i] = v[indices[i]];
          }
          out.put(c, s);
        });
    return new Scores(Collections.unmodifiableMap(out), indices.length);
  }
}
