package dev.sieve.eval.threshold;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-category threshold rules with a default, read from the {@code thresholds} section of the
 * policy file (release-gate.yaml).
 *
 * @param defaults rule for every category not listed
 * @param categories category id to its rule
 */
public record ThresholdPolicy(
    @JsonProperty("default") ThresholdRule defaults, Map<String, ThresholdRule> categories) {

  public ThresholdPolicy {
    defaults = defaults == null ? ThresholdRule.maxF1() : defaults;
    categories = categories == null ? Map.of() : new TreeMap<>(categories);
  }

  public static ThresholdPolicy maxF1Everywhere() {
    return new ThresholdPolicy(ThresholdRule.maxF1(), Map.of());
  }

  public ThresholdRule ruleFor(String category) {
    return categories.getOrDefault(category, defaults);
  }
}
