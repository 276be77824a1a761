package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * A tier whose model is still loading answers UNAVAILABLE (retryable), then serves through the
 * model.
 */
class DeferredScorerTest {

  @Test
  void unavailableUntilTheModelArrivesThenDelegates() throws Exception {
    DeferredScorer deferred = new DeferredScorer("url");
    assertThat(deferred.describe().getTier()).isEqualTo("url");
    assertThatThrownBy(() -> deferred.score(ScoreRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            ScoringException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));

    deferred.set(
        new TierScorer() {
          @Override
          public String tier() {
            return "url";
          }

          @Override
          public TierDescription describe() {
            return TierDescription.newBuilder().setTier("url").addCategories("gambling").build();
          }

          @Override
          public ScoreResponse score(ScoreRequest request) {
            return ScoreResponse.newBuilder().setTier("url").build();
          }
        });
    assertThat(deferred.describe().getCategoriesList()).containsExactly("gambling");
    assertThat(deferred.score(ScoreRequest.getDefaultInstance()).getTier()).isEqualTo("url");
  }
}
