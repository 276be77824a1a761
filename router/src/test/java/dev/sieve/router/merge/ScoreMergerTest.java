package dev.sieve.router.merge;

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

import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ScoreMergerTest {

  @Test
  void primaryTiersMergeByMaximum() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m,
        outcomes(
            ok(TierName.URL, score("gambling", 0.3)),
            ok(TierName.CONTENT, score("gambling", 0.8)),
            null));
    assertThat(m.score(GAMBLING)).isEqualTo(0.8);
    assertThat(m.contributors(GAMBLING)).isEqualTo(TierName.URL.bit() | TierName.CONTENT.bit());
    assertThat(m.definitive(GAMBLING)).isFalse();
  }

  @Test
  void absentCategoryIsNoOpinionNotALowScore() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m, outcomes(ok(TierName.URL, score("gambling", 0.9)), ok(TierName.CONTENT), null));
    assertThat(m.hasOpinion(GAMBLING)).isTrue();
    assertThat(m.contributors(GAMBLING)).isEqualTo(TierName.URL.bit());
    assertThat(m.hasOpinion(NEWS)).isFalse();
    assertThat(m.score(NEWS)).isZero();
  }

  @Test
  void definitiveScoreWinsOverAHigherModelScore() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m,
        outcomes(
            ok(TierName.URL, definitive("adult", 0.6)),
            ok(TierName.CONTENT, score("adult", 0.95)),
            null));
    assertThat(m.score(ADULT)).isEqualTo(0.6);
    assertThat(m.definitive(ADULT)).isTrue();
    assertThat(m.contributors(ADULT)).isEqualTo(TierName.URL.bit());
  }

  @Test
  void llmSecondOpinionIsAveragedWithThePrimaryScoreOnlyForRequestedCategories() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m, outcomes(ok(TierName.URL, score("gambling", 0.5), score("adult", 0.45)), null, null));
    boolean[] requested = new boolean[CoreCategories.count()];
    requested[GAMBLING] = true;
    ScoreResponse llm =
        ScoreResponse.newBuilder()
            .addScores(score("gambling", 0.9))
            .addScores(score("adult", 1.0))
            .build();
    ScoreMerger.applySecondOpinion(m, llm, requested, List.of());
    assertThat(m.score(GAMBLING)).isCloseTo(0.7, Offset.offset(1e-12));
    assertThat(m.contributors(GAMBLING)).isEqualTo(TierName.URL.bit() | TierName.LLM.bit());
    assertThat(m.score(ADULT)).as("not requested: ignored").isEqualTo(0.45);
  }

  @Test
  void llmCanPullAnUncertainCaseDown() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(m, outcomes(ok(TierName.URL, score("gambling", 0.55)), null, null));
    ScoreMerger.applySecondOpinion(
        m, ScoreResponse.newBuilder().addScores(score("gambling", 0.05)).build(), null, null);
    assertThat(m.score(GAMBLING)).isCloseTo(0.3, Offset.offset(1e-12));
  }

  @Test
  void llmAloneStandsAloneAndNeverOverridesADefinitiveScore() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m, outcomes(ok(TierName.URL, definitive("gambling", 1.0)), null, null));
    ScoreMerger.applySecondOpinion(
        m,
        ScoreResponse.newBuilder()
            .addScores(score("gambling", 0.0))
            .addScores(score("news", 0.8))
            .addScores(score("ai_homework_tools", 0.9))
            .build(),
        null,
        null);
    assertThat(m.score(GAMBLING)).isEqualTo(1.0);
    assertThat(m.contributors(GAMBLING)).isEqualTo(TierName.URL.bit());
    assertThat(m.score(NEWS)).isEqualTo(0.8);
    assertThat(m.contributors(NEWS)).isEqualTo(TierName.LLM.bit());
    assertThat(m.emerging()).containsKey("ai_homework_tools");
  }

  @Test
  void scoresAreClampedAndNanIsNoOpinion() {
    MergedScores m = new MergedScores();
    ScoreMerger.mergePrimary(
        m,
        outcomes(ok(TierName.URL, score("gambling", 1.7), score("adult", Double.NaN)), null, null));
    assertThat(m.score(GAMBLING)).isEqualTo(1.0);
    assertThat(m.hasOpinion(ADULT)).isFalse();
  }

  @Test
  void mergeDoesNotDependOnWhichTierAnsweredFirst() {
    TierOutcome url = ok(TierName.URL, score("gambling", 0.4), definitive("adult", 1.0));
    TierOutcome content = ok(TierName.CONTENT, score("gambling", 0.7), score("adult", 0.2));
    MergedScores a = new MergedScores();
    ScoreMerger.mergePrimary(a, outcomes(url, content, null));
    MergedScores b = new MergedScores();
    TierOutcome[] reversed = new TierOutcome[3];
    reversed[TierName.CONTENT.ordinal()] = content;
    reversed[TierName.URL.ordinal()] = url;
    ScoreMerger.mergePrimary(b, reversed);
    for (int i = 0; i < CoreCategories.count(); i++) {
      assertThat(b.score(i)).isEqualTo(a.score(i));
      assertThat(b.contributors(i)).isEqualTo(a.contributors(i));
    }
  }

  @Test
  void unavailableCoveringTierMarksOnlyCategoriesWithoutOpinionThatItCovers() {
    MergedScores m = new MergedScores();
    TierOutcome[] outcomes =
        outcomes(
            down(TierName.URL, TierState.TIER_STATE_TIMEOUT),
            ok(TierName.CONTENT, score("adult", 0.1)),
            null);
    ScoreMerger.mergePrimary(m, outcomes);
    boolean[] urlCovers = new boolean[CoreCategories.count()];
    urlCovers[ADULT] = true;
    urlCovers[SELF_HARM] = true;
    ScoreMerger.markUnavailable(m, outcomes, new boolean[][] {urlCovers, null, null});
    assertThat(m.coveringTierUnavailable(ADULT)).as("content had an opinion").isFalse();
    assertThat(m.coveringTierUnavailable(SELF_HARM)).isTrue();
    assertThat(m.unavailableDetail(SELF_HARM)).isEqualTo("url TIMEOUT");
    assertThat(m.coveringTierUnavailable(GAMBLING)).as("url does not cover it").isFalse();
  }
}
