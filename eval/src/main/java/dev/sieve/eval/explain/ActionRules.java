package dev.sieve.eval.explain;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.eval.explain.ProposedAction.Action;
import dev.sieve.proto.v1.Evidence;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Explicit, ordered rules from evidence to the action an RCA proposes. Simple on purpose: an
 * engineer must be able to predict the outcome and argue with it. The first rule that fires wins.
 *
 * <ol>
 *   <li>R1 RELABEL — a list entry drove the verdict and that entry is flagged as noisy (a
 *       known-noise flag, or a noisy source such as a DNS block list), or the verdict is a false
 *       positive caused by a list entry.
 *   <li>R2 ADD_RULE — a policy rule (override, fail-closed, default policy) decided it.
 *   <li>R3 CHANGE_THRESHOLD — the score is within {@code margin} of the threshold.
 *   <li>R4 ADD_DATA — no near training neighbour (no same-domain host and best similarity below
 *       {@code minSimilarity}).
 *   <li>R5 RELABEL — the nearest neighbours carry the disputed label from a noisy source.
 *   <li>R6 ADD_DATA — otherwise: add labelled examples (hard negatives for a false positive,
 *       positives for a false negative) and retrain.
 * </ol>
 */
public final class ActionRules {

  private final double margin;
  private final double minSimilarity;
  private final Predicate<String> noisySource;

  public ActionRules(double margin, double minSimilarity, Predicate<String> noisySource) {
    this.margin = margin;
    this.minSimilarity = minSimilarity;
    this.noisySource = noisySource;
  }

  /**
   * Defaults: margin 0.05, similarity 0.3, Block List Project lists noisy (known infrastructure
   * hosts).
   */
  public static ActionRules defaults() {
    return new ActionRules(0.05, 0.3, s -> s.startsWith("blocklistproject/"));
  }

  public ProposedAction decide(
      Focus focus,
      List<Evidence> evidence,
      List<Neighbour> neighbours,
      Function<String, Optional<DomainRecord>> listed) {
    if (focus.category().isEmpty()) {
      return new ProposedAction(
          Action.ADD_DATA,
          "R6",
          "nothing was flagged and no expectation was given; if this input should be flagged, add"
              + " labelled examples like it");
    }
    for (Evidence e : evidence) {
      if (e.getKind() != Evidence.Kind.KIND_LIST_MATCH || !matches(e, focus)) {
        continue;
      }
      Optional<DomainRecord> entry = listed.apply(e.getDetail());
      boolean noisy =
          (entry.isPresent()
                  && (!entry.get().flags().isEmpty()
                      || entry.get().sources().keySet().stream().anyMatch(noisySource)))
              || noisySource.test(e.getSource());
      if (noisy || focus.kind().equals("false_positive")) {
        String why =
            noisy
                ? "list entry '"
                    + e.getDetail()
                    + "' ("
                    + e.getSource()
                    + ") is from a noisy source"
                    + entry
                        .map(r -> r.flags().isEmpty() ? "" : " and flagged " + r.flags())
                        .orElse("")
                : "the false positive comes from list entry '"
                    + e.getDetail()
                    + "' ("
                    + e.getSource()
                    + ")";
        return new ProposedAction(Action.RELABEL, "R1", why + ": review and correct the label");
      }
    }
    for (Evidence e : evidence) {
      if (e.getKind() == Evidence.Kind.KIND_RULE && matches(e, focus)) {
        return new ProposedAction(
            Action.ADD_RULE,
            "R2",
            "a policy rule decided (" + e.getDetail() + "): change the rule or add an override");
      }
    }
    if (!Double.isNaN(focus.score())
        && !Double.isNaN(focus.threshold())
        && Math.abs(focus.score() - focus.threshold()) <= margin) {
      return new ProposedAction(
          Action.CHANGE_THRESHOLD,
          "R3",
          String.format(
              Locale.ROOT,
              "score %.3f is within %.2f of the threshold %.3f: re-check the %s threshold policy on dev",
              focus.score(),
              margin,
              focus.threshold(),
              focus.category()));
    }
    boolean sameDomain = neighbours.stream().anyMatch(n -> n.similarity() >= 1.0);
    double best = neighbours.stream().mapToDouble(Neighbour::similarity).max().orElse(0);
    if (!sameDomain && best < minSimilarity) {
      return new ProposedAction(
          Action.ADD_DATA,
          "R4",
          String.format(
              Locale.ROOT,
              "no near training example (best similarity %.2f < %.2f): the model is extrapolating;"
                  + " add labelled examples like this one",
              best,
              minSimilarity));
    }
    List<Neighbour> noisyCarriers =
        neighbours.stream()
            .limit(3)
            .filter(n -> n.labels().contains(focus.category()))
            .filter(
                n -> !n.flags().isEmpty() || n.sources().keySet().stream().anyMatch(noisySource))
            .toList();
    if (focus.kind().equals("false_positive") && !noisyCarriers.isEmpty()) {
      return new ProposedAction(
          Action.RELABEL,
          "R5",
          "nearest training examples "
              + noisyCarriers.stream().map(Neighbour::input).toList()
              + " carry '"
              + focus.category()
              + "' from a noisy source: review those labels");
    }
    return new ProposedAction(
        Action.ADD_DATA,
        "R6",
        focus.kind().equals("false_positive")
            ? "add hard negatives like this input for '" + focus.category() + "' and retrain"
            : "add positives like this input for '" + focus.category() + "' and retrain");
  }

  private static boolean matches(Evidence e, Focus focus) {
    return e.getCategory().isEmpty() || e.getCategory().equals(focus.category());
  }
}
