package dev.sieve.eval.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much each metric may get worse than in the previously released version before the gate fails.
 * Metrics: recall, precision, f1, auprc, auroc (a drop is a regression) and background_flag_rate (a
 * rise is a regression).
 *
 * @param defaults metric to tolerance for every category
 * @param categories category to (metric to tolerance) overrides
 */
public record RegressionPolicy(
    @JsonProperty("default") Map<String, Double> defaults,
    Map<String, Map<String, Double>> categories) {

  public static final List<String> METRICS =
      List.of("recall", "precision", "f1", "auprc", "auroc", "background_flag_rate");

  public RegressionPolicy {
    defaults = defaults == null ? Map.of() : new TreeMap<>(defaults);
    categories = categories == null ? Map.of() : new TreeMap<>(categories);
    for (String m : defaults.keySet()) {
      check(m);
    }
    categories.values().forEach(map -> map.keySet().forEach(RegressionPolicy::check));
  }

  /** Tolerances that apply to {@code category}: defaults overridden by the category's entries. */
  public Map<String, Double> tolerances(String category) {
    Map<String, Double> out = new TreeMap<>(defaults);
    out.putAll(categories.getOrDefault(category, Map.of()));
    return out;
  }

  private static void check(String metric) {
    if (!METRICS.contains(metric)) {
      throw new IllegalArgumentException(
          "unknown regression metric '" + metric + "'; known: " + METRICS);
    }
  }
}
