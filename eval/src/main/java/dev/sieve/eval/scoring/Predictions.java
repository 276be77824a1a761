package dev.sieve.eval.scoring;

import dev.sieve.eval.Scores;
import dev.sieve.proto.v1.ModelInfo;
import java.util.List;
import java.util.Optional;

/**
 * Scores for a list of examples, plus the inputs the tier refused (INVALID_ARGUMENT) — those are
 * excluded from metrics and listed in the card, never silently scored as 0.
 *
 * @param scores per-category scores aligned with the examples ({@code NaN} = no opinion or
 *     rejected)
 * @param rejected example index to the tier's reason
 * @param model lineage reported by the tier, when known
 */
public record Predictions(Scores scores, List<Rejected> rejected, Optional<ModelInfo> model) {

  /** One refused input. */
  public record Rejected(int index, String id, String reason) {}
}
