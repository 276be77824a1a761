package dev.sieve.router;

import static dev.sieve.router.support.TierOutcomes.ADULT;
import static dev.sieve.router.support.TierOutcomes.GAMBLING;
import static dev.sieve.router.support.TierOutcomes.NEWS;
import static dev.sieve.router.support.TierOutcomes.SELF_HARM;
import static dev.sieve.router.support.TierOutcomes.definitive;
import static dev.sieve.router.support.TierOutcomes.down;
import static dev.sieve.router.support.TierOutcomes.ok;
import static dev.sieve.router.support.TierOutcomes.outcomes;
import static dev.sieve.router.support.TierOutcomes.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.proto.v1.TierState;
import dev.sieve.router.merge.MergedScores;
import dev.sieve.router.merge.ScoreMerger;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.policy.PolicyParser;
import dev.sieve.router.policy.TenantPolicy;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The decision steps of {@link CategoryDecider} over merged scores (the merge itself: {@code
 * ScoreMergerTest}).
 */
class CategoryDeciderTest {

  @Test
  void uncertainCategoriesAreThoseWithANonDefinitiveOpinionInsideTheBand() throws Exception {
    TenantPolicy policy =
        PolicyParser.parse(
                "t.yaml",
                """
                id: p
                version: "1"
                defaults: {threshold: 0.5, uncertainty_margin: 0.1}
                categories:
                  self_harm: {uncertainty_band: [0.2, 0.6]}
                  news: {uncertainty_band: []}
                """
                    .getBytes(StandardCharsets.UTF_8))
            .global();
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m,
        outcomes(
            ok(
                TierName.URL,
                score("gambling", 0.55), // in [0.4, 0.6]
                score("violence", 0.9), // clear
                definitive("adult", 0.5), // definitive: never uncertain
                score("self_harm", 0.25), // in its explicit band
                score("news", 0.5)), // band disabled
            null,
            null));
    assertThat(CategoryDecider.uncertain(m, policy)).containsExactly("self_harm", "gambling");
  }

  @Test
  void decisionUsesThresholdOrFailClosedRule() throws Exception {
    TenantPolicy policy =
        PolicyParser.parse(
                "t.yaml",
                "id: p\nversion: '1'\ncategories: {gambling: {threshold: 0.8}}\n"
                    .getBytes(StandardCharsets.UTF_8))
            .global();
    MergedScores m = new MergedScores();
    TierOutcome[] outcomes =
        outcomes(ok(TierName.URL, score("gambling", 0.8), score("news", 0.79)), null, null);
    ScoreMerger.mergePrimary(m, outcomes);
    outcomes[TierName.CONTENT.ordinal()] = down(TierName.CONTENT, TierState.TIER_STATE_ERROR);
    boolean[] all = new boolean[CoreCategories.count()];
    Arrays.fill(all, true);
    ScoreMerger.markUnavailable(m, outcomes, new boolean[][] {all, all, null});
    assertThat(CategoryDecider.decided(m, GAMBLING, policy.core(GAMBLING)))
        .as("score == threshold")
        .isTrue();
    assertThat(CategoryDecider.decided(m, NEWS, policy.core(NEWS)))
        .as("news: 0.79 >= default threshold 0.5")
        .isTrue();
    assertThat(CategoryDecider.decided(m, ADULT, policy.core(ADULT)))
        .as("adult fails closed")
        .isTrue();
    assertThat(CategoryDecider.decided(m, SELF_HARM, policy.core(SELF_HARM)))
        .as("self_harm (ALERT) does not fail closed")
        .isFalse();
    int violence = CoreCategories.indexOf("violence");
    assertThat(CategoryDecider.decided(m, violence, policy.core(violence)))
        .as("violence fails open")
        .isFalse();
  }
}
