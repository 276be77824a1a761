package dev.sieve.core.security;

import dev.sieve.core.scoring.TierScorer;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;

/** A tier that answers every request with one fixed score: the transport is what is under test. */
final class EchoScorer implements TierScorer {

  @Override
  public String tier() {
    return "echo";
  }

  @Override
  public TierDescription describe() {
    return TierDescription.newBuilder().setTier("echo").addCategories("games").build();
  }

  @Override
  public ScoreResponse score(ScoreRequest request) {
    return ScoreResponse.newBuilder()
        .setTier("echo")
        .addScores(CategoryScore.newBuilder().setCategory("games").setScore(0.5))
        .build();
  }
}
