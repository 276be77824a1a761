package dev.sieve.router.support;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.grpc.Status;
import java.util.Arrays;

/**
 * Tier outcomes for the merge and decision tests: what a tier answered (or that it did not), built
 * the way the engine builds them, so the tests of {@code ScoreMerger} and {@code CategoryDecider}
 * read as tables of tier answers.
 */
public final class TierOutcomes {

  public static final int ADULT = CoreCategories.indexOf("adult");
  public static final int GAMBLING = CoreCategories.indexOf("gambling");
  public static final int NEWS = CoreCategories.indexOf("news");
  public static final int SELF_HARM = CoreCategories.indexOf("self_harm");

  private TierOutcomes() {}

  public static CategoryScore score(String category, double value) {
    return CategoryScore.newBuilder().setCategory(category).setScore(value).build();
  }

  /** A score the tier marks definitive (a known-domain list hit, say). */
  public static CategoryScore definitive(String category, double value) {
    return score(category, value).toBuilder().setDefinitive(true).build();
  }

  /** A tier that answered with these scores. */
  public static TierOutcome ok(TierName tier, CategoryScore... scores) {
    ScoreResponse response =
        ScoreResponse.newBuilder()
            .setTier(tier.wireName())
            .addAllScores(Arrays.asList(scores))
            .build();
    return new TierOutcome(tier, TierState.TIER_STATE_OK, 10, response, "", Status.Code.OK);
  }

  /** A tier that did not answer, in this state. */
  public static TierOutcome down(TierName tier, TierState state) {
    return new TierOutcome(tier, state, 0, null, state.name(), Status.Code.UNAVAILABLE);
  }

  /** The outcomes in tier order (null: the tier was not consulted). */
  public static TierOutcome[] outcomes(TierOutcome url, TierOutcome content, TierOutcome llm) {
    return new TierOutcome[] {url, content, llm};
  }
}
