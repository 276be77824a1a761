package dev.sieve.core.scoring;

import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Status;

/**
 * A {@link TierScorer} whose implementation arrives after the server has started: the port is bound
 * (and health answers NOT_SERVING) while the model loads. A call that arrives before the model is
 * UNAVAILABLE, which clients retry, instead of waiting on a half-built tier. Every tier process
 * starts this way, so it lives here once.
 */
public final class DeferredScorer implements TierScorer {

  private final String tier;
  private volatile TierScorer delegate;

  public DeferredScorer(String tier) {
    this.tier = tier;
  }

  /** Starts serving through {@code scorer}; until then every call is UNAVAILABLE. */
  public void set(TierScorer scorer) {
    this.delegate = scorer;
  }

  @Override
  public String tier() {
    return tier;
  }

  @Override
  public TierDescription describe() {
    TierScorer current = delegate;
    return current == null
        ? TierDescription.newBuilder().setTier(tier).build()
        : current.describe();
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    TierScorer current = delegate;
    if (current == null) {
      throw new ScoringException(
          Status.Code.UNAVAILABLE, tier + " tier is still loading its model");
    }
    return current.score(request);
  }
}
