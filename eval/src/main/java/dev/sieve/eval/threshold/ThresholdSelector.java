package dev.sieve.eval.threshold;

import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Confusion;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Chooses each category's threshold on the dev split according to the {@link ThresholdPolicy}, and
 * measures how stable the choice is by re-choosing it on bootstrap resamples of dev.
 *
 * <p>Only a {@link DevSplit} is accepted, so a test-split example cannot reach this code. Candidate
 * thresholds are the distinct scores on dev (flag when score >= threshold).
 */
public final class ThresholdSelector {

  private ThresholdSelector() {}

  /**
   * The outcome of one selection on one set of (weighted) counts.
   *
   * @param threshold flag when score >= threshold
   * @param status "selected", "constraints_relaxed", "floors_unmet", "background_only",
   *     "insufficient_data", "not_scored" or "fixed"
   * @param unmet the constraints that could not be met on dev, in words
   */
  public record Selection(double threshold, String status, List<String> unmet) {}

  public static ThresholdSet select(
      DevSplit dev,
      ThresholdPolicy policy,
      EvalOptions options,
      String datasetVersion,
      String scoreSpace) {
    Map<String, ThresholdChoice> out = new TreeMap<>();
    int n = dev.examples().size();
    for (String category : dev.scores().categories()) {
      ThresholdRule rule = policy.ruleFor(category);
      RankedCategory ranked =
          RankedCategory.build(category, dev.examples(), dev.scores().get(category));
      GroupCounts counts = ranked.counts();
      Selection chosen = choose(counts, rule, options.minPositives());
      if (rule.maxBackgroundFlagRate() != null
          && !List.of("insufficient_data", "fixed", "not_scored").contains(chosen.status())) {
        chosen =
            holdOnEverySource(
                chosen,
                SourceBackground.of(category, dev.examples(), dev.scores().get(category)),
                rule.maxBackgroundFlagRate(),
                counts);
      }
      Confusion at = counts.at(chosen.threshold());
      Double lo = null;
      Double hi = null;
      if (options.bootstrapResamples() > 0
          && !List.of("insufficient_data", "fixed", "not_scored").contains(chosen.status())) {
        double[] resampled = new double[options.bootstrapResamples()];
        IntStream.range(0, resampled.length)
            .parallel()
            .forEach(
                b -> {
                  GroupCounts gc = ranked.counts(Bootstrap.weights(options.seed(), b, n));
                  Selection s = choose(gc, rule, options.minPositives());
                  resampled[b] =
                      s.status().equals("insufficient_data") || s.status().equals("not_scored")
                          ? Double.NaN
                          : s.threshold();
                });
        Bootstrap.Interval ci = Bootstrap.percentile(resampled, options.confidence());
        lo = nullIfNaN(ci.lower());
        hi = nullIfNaN(ci.upper());
      }
      out.put(
          category,
          new ThresholdChoice(
              category,
              chosen.threshold(),
              rule.describe(),
              chosen.status(),
              chosen.unmet(),
              at.positives(),
              at.negatives(),
              nullIfNaN(at.precision()),
              nullIfNaN(at.recall()),
              nullIfNaN(at.f1()),
              nullIfNaN(at.backgroundFlagRate()),
              lo,
              hi));
    }
    return new ThresholdSet(ThresholdSet.FORMAT, "dev", datasetVersion, scoreSpace, out);
  }

  /**
   * The selection rule on one set of counts: the one selector for the evaluation standard and for
   * every tier trainer (trainers build the counts with {@link RankedCategory#of}).
   */
  public static Selection choose(GroupCounts gc, ThresholdRule rule, int minPositives) {
    if (rule.objective().equals("fixed")) {
      return new Selection(rule.fixedThreshold(), "fixed", List.of());
    }
    int finite = 0;
    while (finite < gc.groups() && !Double.isInfinite(gc.score()[finite])) {
      finite++;
    }
    if (finite == 0) {
      return new Selection(
          rule.fallback(),
          "not_scored",
          List.of("no scores on dev: the model has no opinion on this category"));
    }
    if (gc.totalPos() < minPositives) {
      if (rule.maxBackgroundFlagRate() != null && gc.totalBg() > 0 && finite > 0) {
        return backgroundOnly(gc, finite, rule.maxBackgroundFlagRate());
      }
      return new Selection(
          rule.fallback(),
          "insufficient_data",
          List.of("fewer than " + minPositives + " positives on dev (" + gc.totalPos() + ")"));
    }
    List<String> names = new ArrayList<>();
    if (rule.maxBackgroundFlagRate() != null && gc.totalBg() > 0) {
      // A background ceiling is never relaxed: when it and a floor cannot both hold, the floor is
      // reported unmet (and the gate fails on it), because over-blocking is what switches a filter
      // off. The closest feasible point is the most recall the ceiling allows.
      int all = best(gc, finite, rule, activeConstraints(rule, true));
      if (all >= 0 || all == NOTHING) {
        return selection(
            gc,
            all,
            "selected",
            all == NOTHING
                ? List.of(
                    "no threshold that flags anything meets the constraints on dev: flags nothing")
                : List.of());
      }
      ThresholdRule recallUnderCeiling =
          new ThresholdRule(
              "max_recall",
              null,
              null,
              rule.maxBackgroundFlagRate(),
              null,
              rule.fallbackThreshold());
      int closest = best(gc, finite, recallUnderCeiling, List.of("background_flag_rate"));
      List<String> unmet = new ArrayList<>();
      if (rule.minRecall() != null) {
        unmet.add(
            describeUnmet("recall", rule, gc)
                + " while the background ceiling holds (best: "
                + describeAt(gc, closest)
                + ")");
      }
      if (rule.minPrecision() != null) {
        unmet.add(describeUnmet("precision", rule, gc) + " while the background ceiling holds");
      }
      return selection(gc, closest, "floors_unmet", unmet);
    }
    if (rule.maxBackgroundFlagRate() != null) {
      names.add("background_flag_rate");
    }
    if (rule.minPrecision() != null) {
      names.add("precision");
    }
    if (rule.minRecall() != null) {
      names.add("recall");
    }
    for (int drop = 0; drop <= names.size(); drop++) {
      List<String> active = names.subList(drop, names.size());
      int best = best(gc, finite, rule, active);
      if (best >= 0 || best == NOTHING) {
        List<String> unmet = new ArrayList<>();
        if (best == NOTHING) {
          unmet.add("no threshold that flags anything meets the constraints on dev: flags nothing");
        }
        for (String dropped : names.subList(0, drop)) {
          unmet.add(describeUnmet(dropped, rule, gc));
        }
        if (rule.maxBackgroundFlagRate() != null && gc.totalBg() == 0 && drop == 0) {
          unmet.add(describeUnmet("background_flag_rate", rule, gc));
        }
        double threshold = best == NOTHING ? Math.nextUp(gc.score()[0]) : gc.score()[best];
        return new Selection(threshold, drop == 0 ? "selected" : "constraints_relaxed", unmet);
      }
    }
    return new Selection(
        rule.fallback(), "insufficient_data", List.of("no threshold is defined on dev"));
  }

  private static List<String> activeConstraints(ThresholdRule rule, boolean withCeiling) {
    List<String> active = new ArrayList<>();
    if (withCeiling && rule.maxBackgroundFlagRate() != null) {
      active.add("background_flag_rate");
    }
    if (rule.minPrecision() != null) {
      active.add("precision");
    }
    if (rule.minRecall() != null) {
      active.add("recall");
    }
    return active;
  }

  private static Selection selection(GroupCounts gc, int best, String status, List<String> unmet) {
    double threshold = best == NOTHING || best < 0 ? Math.nextUp(gc.score()[0]) : gc.score()[best];
    return new Selection(threshold, status, unmet);
  }

  private static String describeAt(GroupCounts gc, int g) {
    if (g < 0) {
      return "flags nothing";
    }
    Confusion at = gc.at(gc.score()[g]);
    return String.format(
        Locale.ROOT,
        "recall %.3f, precision %.3f at %.4f",
        at.recall(),
        at.precision(),
        gc.score()[g]);
  }

  /**
   * Ordinary sources large enough to hold a ceiling on: at least this many background items on dev
   * not labelled with the category.
   */
  public static final int MIN_SOURCE_ITEMS = 50;

  /**
   * Raises the threshold until the ceiling holds on every ordinary source, not only on the pool: a
   * source holds when the Wilson 95% lower bound of its flag rate is at most the ceiling (it is not
   * significantly above it). Thresholds fitted on one pooled ordinary set do not transfer to other
   * registers (EVALUATION.md); a pooled rate is dominated by the largest source.
   */
  static Selection holdOnEverySource(
      Selection chosen, SourceBackground sources, double ceiling, GroupCounts gc) {
    if (sources.isEmpty()) {
      return chosen;
    }
    double t = chosen.threshold();
    String violating = sources.violation(t, ceiling, MIN_SOURCE_ITEMS);
    if (violating == null) {
      return chosen;
    }
    double raised = sources.lowestHolding(t, ceiling, MIN_SOURCE_ITEMS);
    List<String> unmet = new ArrayList<>(chosen.unmet());
    unmet.add(
        String.format(
            Locale.ROOT,
            "raised from %.4f to %.4f so the background ceiling %.4f holds on every ordinary source (%s)",
            t,
            raised,
            ceiling,
            violating));
    Confusion at = gc.at(raised);
    if (gc.totalPos() > 0 && at.recall() < gc.at(t).recall()) {
      unmet.add(
          String.format(
              Locale.ROOT,
              "dev recall %.3f -> %.3f by that raise",
              gc.at(t).recall(),
              at.recall()));
    }
    String status = chosen.status().equals("selected") ? "raised_for_sources" : chosen.status();
    return new Selection(raised, status, unmet);
  }

  /** Index meaning "flag nothing": a threshold just above the highest score. */
  static final int NOTHING = -2;

  /**
   * The best feasible candidate: a group index, {@link #NOTHING}, or -1 when none is feasible.
   * "Flag nothing" is the highest candidate and is considered first, so a model with no usable
   * signal under a background ceiling flags nothing rather than everything.
   */
  private static int best(GroupCounts gc, int finite, ThresholdRule rule, List<String> active) {
    long tp = 0;
    long fp = 0;
    long bg = 0;
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    if (!active.contains("recall") && !active.contains("precision")) {
      double nothing =
          switch (rule.objective()) {
            case "max_precision" -> Double.NaN;
            default -> 0.0; // F1 and recall of flagging nothing
          };
      if (!Double.isNaN(nothing)) {
        best = NOTHING;
        bestValue = nothing;
      }
    }
    for (int g = 0; g < finite; g++) {
      tp += gc.pos()[g];
      fp += gc.neg()[g];
      bg += gc.bg()[g];
      double recall = (double) tp / gc.totalPos();
      double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
      double bgRate = gc.totalBg() == 0 ? Double.NaN : (double) bg / gc.totalBg();
      if (active.contains("recall") && !(recall >= rule.minRecall())) {
        continue;
      }
      if (active.contains("precision") && !(precision >= rule.minPrecision())) {
        continue;
      }
      if (active.contains("background_flag_rate")
          && !Double.isNaN(bgRate)
          && !(bgRate <= rule.maxBackgroundFlagRate())) {
        continue;
      }
      double value =
          switch (rule.objective()) {
            case "max_precision" -> precision;
            case "max_recall" -> recall;
            case "fewest_flags" -> -(double) (tp + fp);
            default -> {
              long fn = gc.totalPos() - tp;
              yield 2.0 * tp / (2.0 * tp + fp + fn);
            }
          };
      if (Double.isNaN(value)) {
        continue;
      }
      if (value > bestValue) { // strictly greater: ties keep the higher threshold
        bestValue = value;
        best = g;
      }
    }
    return best;
  }

  private static Selection backgroundOnly(GroupCounts gc, int finite, double maxRate) {
    long bg = 0;
    int last = -1;
    for (int g = 0; g < finite; g++) {
      bg += gc.bg()[g];
      if ((double) bg / gc.totalBg() <= maxRate) {
        last = g;
      } else {
        break;
      }
    }
    double threshold = last >= 0 ? gc.score()[last] : Math.nextUp(gc.score()[0]);
    return new Selection(
        threshold,
        "background_only",
        List.of(
            "no positives to measure recall ("
                + gc.totalPos()
                + "); threshold keeps the "
                + "background flag rate <= "
                + maxRate));
  }

  private static String describeUnmet(String constraint, ThresholdRule rule, GroupCounts gc) {
    return switch (constraint) {
      case "recall" -> "recall >= " + rule.minRecall() + " not reachable on dev";
      case "precision" -> "precision >= " + rule.minPrecision() + " not reachable on dev";
      default ->
          gc.totalBg() == 0
              ? "background flag rate not measurable (no background sites on dev)"
              : "background flag rate <= "
                  + rule.maxBackgroundFlagRate()
                  + " not reachable together with the other constraints";
    };
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
