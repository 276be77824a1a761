package dev.sieve.eval.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code gate} section of the policy file: what a model version must meet to be released.
 *
 * @param split split the floors apply to ("test")
 * @param insufficientData "warn" or "fail" for categories that cannot be measured
 * @param maxBackgroundBlockRate ceiling on the share of ordinary sites blocked by any category
 * @param maxProtectedBlockRate ceiling on the block rate of any protected slice (null = report
 *     only)
 * @param categories per-category floors
 * @param regression tolerances versus the previously released version
 * @param requireRenderedCard fail when model-card.md/.html are missing or differ from their
 *     rendering of model-card.json (hand-edited numbers)
 * @param waivers reviewed exceptions to the regression rule for named versions ({@link RegressionWaiver})
 */
public record GatePolicy(
    String split,
    String insufficientData,
    Double maxBackgroundBlockRate,
    Double maxProtectedBlockRate,
    Map<String, GateCategoryRule> categories,
    RegressionPolicy regression,
    Boolean requireRenderedCard,
    List<RegressionWaiver> waivers) {

  public GatePolicy {
    split = split == null ? "test" : split;
    insufficientData = normalizeMode(insufficientData);
    categories = categories == null ? Map.of() : new TreeMap<>(categories);
    regression = regression == null ? new RegressionPolicy(Map.of(), Map.of()) : regression;
    requireRenderedCard = requireRenderedCard == null || requireRenderedCard;
    waivers = waivers == null ? List.of() : List.copyOf(waivers);
    categories.values().forEach(r -> normalizeMode(r.insufficientData()));
  }

  public static GatePolicy lenient() {
    return new GatePolicy("test", "warn", null, null, Map.of(), null, true, List.of());
  }

  /** The waiver for this regression, when one was granted. */
  public java.util.Optional<RegressionWaiver> waiver(String model, String version, String category, String metric) {
    return waivers.stream().filter(w -> w.covers(model, version, category, metric)).findFirst();
  }

  /** "warn" or "fail" for {@code category}. */
  public String insufficientDataMode(String category) {
    GateCategoryRule rule = categories.get(category);
    return rule != null && rule.insufficientData() != null
        ? normalizeMode(rule.insufficientData()) : insufficientData;
  }

  static String normalizeMode(String mode) {
    String m = mode == null ? "warn" : mode.toLowerCase(Locale.ROOT);
    if (!m.equals("warn") && !m.equals("fail")) {
      throw new IllegalArgumentException("insufficient_data must be 'warn' or 'fail', got '" + mode + "'");
    }
    return m;
  }
}
