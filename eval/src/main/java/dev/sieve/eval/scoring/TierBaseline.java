package dev.sieve.eval.scoring;

/**
 * A baseline a tier brings to its own card, next to the standard's (exact list, phrase scorer,
 * previous release): typically a simpler model trained on the same train split, so the card shows
 * what the tier's complexity buys. The evaluation scores dev and the evaluated split through {@code
 * source}, chooses the baseline's thresholds on dev by the same policy as the model's, and reports
 * it on the same split.
 *
 * @param name short id in the card, e.g. "hashed_ngram_logistic"
 * @param description one sentence for the card: what it is and how it was trained
 * @param source scores examples; closed by the evaluation when done
 * @param atModelThresholds decide at the evaluated model's own thresholds instead of choosing new
 *     ones on dev: for a baseline that contains the model (e.g. "table first, then the model"),
 *     whose dev split would otherwise be contaminated by what the table already knows
 */
public record TierBaseline(
    String name, String description, PredictionSource source, boolean atModelThresholds) {

  /** A baseline whose thresholds are chosen on dev by the model's policy. */
  public TierBaseline(String name, String description, PredictionSource source) {
    this(name, description, source, false);
  }
}
