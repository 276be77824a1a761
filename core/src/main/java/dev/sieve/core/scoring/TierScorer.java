package dev.sieve.core.scoring;

import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;

/**
 * The in-process form of the {@code sieve.v1.Scorer} contract that every tier implements.
 *
 * <p>One interface for three callers: the tier's gRPC server ({@link
 * dev.sieve.core.grpc.ScorerService} adapts it), offline evaluation (which scores a dataset
 * in-process, through exactly the code that serves), and tests. Keeping the proto messages as the
 * parameter types means the in-process path and the wire path cannot drift apart.
 */
public interface TierScorer {

  /** Tier name on the wire: "url", "content", "llm". */
  String tier();

  /** Model lineage and the categories this tier can score. */
  TierDescription describe();

  /**
   * Scores one input.
   *
   * @throws ScoringException with the gRPC status code the caller should see for input the tier
   *     cannot accept (INVALID_ARGUMENT) or load it cannot take (RESOURCE_EXHAUSTED)
   */
  ScoreResponse score(ScoreRequest request) throws ScoringException;
}
