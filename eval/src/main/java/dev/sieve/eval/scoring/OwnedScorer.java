package dev.sieve.eval.scoring;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;

/**
 * A tier's scorer handed to the evaluation together with what it must release afterwards (encoder
 * sessions, thread pools): {@link TierScorerSource} closes it when scoring is done. The scoring
 * function is separate from the tier scorer so a provider can point it at its probability view.
 */
public final class OwnedScorer implements TierScorer, AutoCloseable {

  /** What scores one request (e.g. a serving scorer's probability view). */
  @FunctionalInterface
  public interface Scoring {
    ScoreResponse score(ScoreRequest request) throws ScoringException;
  }

  private final TierScorer tier;
  private final Scoring scoring;
  private final AutoCloseable owner;

  /**
   * @param tier name and description come from here
   * @param scoring what {@link #score} calls
   * @param owner closed by {@link #close()}
   */
  public OwnedScorer(TierScorer tier, Scoring scoring, AutoCloseable owner) {
    this.tier = tier;
    this.scoring = scoring;
    this.owner = owner;
  }

  @Override
  public String tier() {
    return tier.tier();
  }

  @Override
  public TierDescription describe() {
    return tier.describe();
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    return scoring.score(request);
  }

  @Override
  public void close() throws Exception {
    owner.close();
  }
}
