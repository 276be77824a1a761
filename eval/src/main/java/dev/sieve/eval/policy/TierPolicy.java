package dev.sieve.eval.policy;

import dev.sieve.eval.threshold.ThresholdRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tier's exceptions to the standard ({@code tiers.<tier>} in release-gate.yaml): per-category
 * threshold rules and gate floors that replace the standard's for models of that tier only.
 *
 * <p>Why tiers differ: a floor is a promise about what a model sees. The URL model scores host
 * names the known-domain table does not list, with no page text; the content tier reads the page.
 * Holding both to one adult recall floor either blocks every URL release or hides what the URL
 * model can do. An exception must say why ({@code reason} is required) and is printed by the gate,
 * so the bargain stays visible to reviewers. A gate entry mapped to {@code null} removes the
 * standard's floor for that tier (e.g. a category the tier cannot score at all); the card still
 * reports it.
 *
 * @param reason why this tier deviates from the standard (required, shown in gate reports)
 * @param thresholds category id to the threshold rule that replaces the standard's
 * @param gate category id to the floors that replace the standard's; null value = no floor
 * @param advisory true for a tier whose scores decide no blocking verdict under the default policy
 *     (the llm tier: no second opinion on a blocking category, emerging categories observed only):
 *     its card must still be current, complete and rendered, and every measured floor, ceiling,
 *     protected-slice, leave-one-source-out and regression check is printed, as a warning instead
 *     of a failure. A policy that lets such a tier decide a blocking category needs its own
 *     evidence.
 */
public record TierPolicy(
    String reason,
    Map<String, ThresholdRule> thresholds,
    Map<String, GateCategoryRule> gate,
    Boolean advisory) {

  /** Exceptions that replace rules and floors only. */
  public TierPolicy(
      String reason, Map<String, ThresholdRule> thresholds, Map<String, GateCategoryRule> gate) {
    this(reason, thresholds, gate, false);
  }

  public TierPolicy {
    advisory = advisory != null && advisory;
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "a tier exception needs a 'reason': the gate prints it to reviewers");
    }
    // LinkedHashMap, not Map.copyOf: null values are meaningful (remove the floor).
    thresholds =
        thresholds == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    gate = gate == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(gate));
    thresholds.forEach(
        (c, r) -> {
          if (r == null) {
            throw new IllegalArgumentException("tier threshold rule for '" + c + "' is empty");
          }
        });
  }
}
