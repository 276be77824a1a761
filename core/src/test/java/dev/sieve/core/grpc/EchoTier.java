package dev.sieve.core.grpc;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;

/**
 * A tier double for server tests: scores every URL 0.5 for "games", rejects the URL "bad" with
 * INVALID_ARGUMENT and fails on "boom" like a bug would.
 */
public final class EchoTier implements TierScorer {
  @Override
  public String tier() {
    return "echo";
  }

  @Override
  public TierDescription describe() {
    return TierDescription.newBuilder().setTier("echo").addCategories("games").build();
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    if (request.getUrl().equals("bad")) {
      throw ScoringException.invalidArgument("bad url");
    }
    if (request.getUrl().equals("boom")) {
      throw new IllegalStateException("bug");
    }
    return ScoreResponse.newBuilder()
        .setTier("echo")
        .addScores(CategoryScore.newBuilder().setCategory("games").setScore(0.5))
        .build();
  }
}
