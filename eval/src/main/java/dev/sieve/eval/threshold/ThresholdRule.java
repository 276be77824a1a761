package dev.sieve.eval.threshold;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one category's decision threshold is chosen on the dev split.
 *
 * <p>Constraints first, then the objective among the thresholds that satisfy them; ties go to the
 * higher threshold (fewer flags for the same quality). When no threshold satisfies every
 * constraint, constraints are relaxed in the order background flag rate, precision, recall — a
 * recall floor is the last thing given up, because for the fail-closed categories a miss is the
 * harm — and the choice records which constraint was not met.
 *
 * @param objective "max_f1" (default), "max_precision", "max_recall", "fewest_flags" (the highest
 *     threshold that meets the constraints: a fail-closed category's recall floor at the least
 *     over-blocking) or "fixed"
 * @param minRecall recall floor on dev, e.g. 0.95 for self_harm
 * @param minPrecision precision floor on dev
 * @param maxBackgroundFlagRate ceiling on the share of dev background (ordinary) sites flagged
 * @param fixedThreshold the threshold when objective is "fixed"
 * @param fallbackThreshold used when dev has too few positives to choose (default 0.5)
 */
public record ThresholdRule(
    String objective,
    Double minRecall,
    Double minPrecision,
    Double maxBackgroundFlagRate,
    Double fixedThreshold,
    Double fallbackThreshold) {

  public static final List<String> OBJECTIVES =
      List.of("max_f1", "max_precision", "max_recall", "fewest_flags", "fixed");

  public ThresholdRule {
    objective = objective == null ? "max_f1" : objective.toLowerCase(Locale.ROOT);
    if (!OBJECTIVES.contains(objective)) {
      throw new IllegalArgumentException(
          "unknown threshold objective '" + objective + "'; known: " + OBJECTIVES);
    }
    checkUnit("min_recall", minRecall);
    checkUnit("min_precision", minPrecision);
    checkUnit("max_background_flag_rate", maxBackgroundFlagRate);
    checkUnit("fixed_threshold", fixedThreshold);
    checkUnit("fallback_threshold", fallbackThreshold);
    if (objective.equals("fixed") && fixedThreshold == null) {
      throw new IllegalArgumentException("objective 'fixed' needs fixed_threshold");
    }
  }

  public static ThresholdRule maxF1() {
    return new ThresholdRule("max_f1", null, null, null, null, null);
  }

  public double fallback() {
    return fallbackThreshold == null ? 0.5 : fallbackThreshold;
  }

  /** One line for cards: "max precision subject to recall >= 0.95". */
  public String describe() {
    if (objective.equals("fixed")) {
      return "fixed threshold " + fixedThreshold;
    }
    List<String> constraints = new ArrayList<>();
    if (minRecall != null) {
      constraints.add("recall >= " + minRecall);
    }
    if (minPrecision != null) {
      constraints.add("precision >= " + minPrecision);
    }
    if (maxBackgroundFlagRate != null) {
      constraints.add("background flag rate <= " + maxBackgroundFlagRate);
    }
    String goal = objective.replace("max_f1", "max F1").replace('_', ' ');
    return constraints.isEmpty() ? goal : goal + " subject to " + String.join(" and ", constraints);
  }

  private static void checkUnit(String name, Double v) {
    if (v != null && !(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }
}
