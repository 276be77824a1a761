package dev.sieve.eval.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * @param waivers reviewed exceptions to the regression rule for named versions ({@link
 *     RegressionWaiver})
 * @param backgroundCeilings ceilings on the flag rate of ordinary inputs per category, pooled and
 *     per group (every ordinary source and input kind); null = none
 * @param maxFalseAlertRate ceiling on alerts raised on ordinary inputs no alerting category labels
 * @param protectedNotAboveBackground every protected slice's over-block rate must not exceed the
 *     block rate of ordinary inputs of the same evaluation
 * @param loso floors on leave-one-source-out results; null = reported only
 * @param zeroBlockSlices protected slices the served verdict (the fleet card, default policy) may
 *     never block: crisis help must always be reachable
 */
public record GatePolicy(
    String split,
    String insufficientData,
    Double maxBackgroundBlockRate,
    Double maxProtectedBlockRate,
    Map<String, GateCategoryRule> categories,
    RegressionPolicy regression,
    Boolean requireRenderedCard,
    List<RegressionWaiver> waivers,
    BackgroundCeilings backgroundCeilings,
    Double maxFalseAlertRate,
    Boolean protectedNotAboveBackground,
    LosoGate loso,
    List<String> zeroBlockSlices) {

  public GatePolicy {
    split = split == null ? "test" : split;
    insufficientData = normalizeMode(insufficientData);
    categories = categories == null ? Map.of() : new TreeMap<>(categories);
    regression = regression == null ? new RegressionPolicy(Map.of(), Map.of()) : regression;
    requireRenderedCard = requireRenderedCard == null || requireRenderedCard;
    waivers = waivers == null ? List.of() : List.copyOf(waivers);
    protectedNotAboveBackground =
        protectedNotAboveBackground != null && protectedNotAboveBackground;
    zeroBlockSlices = zeroBlockSlices == null ? List.of() : List.copyOf(zeroBlockSlices);
    categories.values().forEach(r -> normalizeMode(r.insufficientData()));
  }

  public static GatePolicy lenient() {
    return new GatePolicy(
        "test", "warn", null, null, Map.of(), null, true, List.of(), null, null, false, null,
        List.of());
  }

  /** A copy with other per-category floors (a tier's exceptions). */
  public GatePolicy withCategories(Map<String, GateCategoryRule> floors) {
    return new GatePolicy(
        split,
        insufficientData,
        maxBackgroundBlockRate,
        maxProtectedBlockRate,
        floors,
        regression,
        requireRenderedCard,
        waivers,
        backgroundCeilings,
        maxFalseAlertRate,
        protectedNotAboveBackground,
        loso,
        zeroBlockSlices);
  }

  /**
   * Ceilings on how often ordinary inputs (label scope "*") are flagged.
   *
   * @param defaultCeiling every category whose default action blocks or alerts
   * @param categories per-category ceilings replacing the default
   * @param minGroupItems groups (ordinary sources, input kinds) with fewer items are reported, not
   *     gated
   */
  public record BackgroundCeilings(
      Double defaultCeiling, Map<String, Double> categories, Integer minGroupItems) {
    public BackgroundCeilings {
      categories = categories == null ? Map.of() : new TreeMap<>(categories);
      minGroupItems = minGroupItems == null ? 100 : minGroupItems;
    }

    /** The ceiling of {@code category}, or null when it has none (ALLOW categories). */
    public Double ceiling(String category, Set<String> blocking) {
      Double own = categories.get(category);
      return own != null ? own : blocking.contains(category) ? defaultCeiling : null;
    }
  }

  /**
   * Leave-one-source-out floors.
   *
   * @param minRecall held-out recall floor, for each category the gate has a recall floor for and
   *     each held-out source with at least {@code minPositives} positives of it
   * @param minPositives smaller held-out sources are reported, not gated
   */
  public record LosoGate(Double minRecall, Integer minPositives) {
    public LosoGate {
      minPositives = minPositives == null ? 30 : minPositives;
    }
  }

  /** The waiver for this regression, when one was granted. */
  public Optional<RegressionWaiver> waiver(
      String model, String version, String category, String metric) {
    return waivers.stream().filter(w -> w.covers(model, version, category, metric)).findFirst();
  }

  /** "warn" or "fail" for {@code category}. */
  public String insufficientDataMode(String category) {
    GateCategoryRule rule = categories.get(category);
    return rule != null && rule.insufficientData() != null
        ? normalizeMode(rule.insufficientData())
        : insufficientData;
  }

  static String normalizeMode(String mode) {
    String m = mode == null ? "warn" : mode.toLowerCase(Locale.ROOT);
    if (!m.equals("warn") && !m.equals("fail")) {
      throw new IllegalArgumentException(
          "insufficient_data must be 'warn' or 'fail', got '" + mode + "'");
    }
    return m;
  }
}
