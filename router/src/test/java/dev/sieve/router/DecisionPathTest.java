package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.support.StreamCollector;
import dev.sieve.router.tier.FleetCoverage;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the decision path takes from the fleet: each tier outcome carries its model, one coverage
 * snapshot per request, and one in-flight bound for unary and streaming calls.
 */
class DecisionPathTest {

  private static TierStatus status(ClassifyResponse response, TierName tier) {
    return response.getTiersList().stream()
        .filter(status -> status.getTier().equals(tier.wireName()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyTierStatusReportsTheModelItsOutcomeCarries() {
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).fail(Status.UNAVAILABLE);
    FakeTier content = new FakeTier("content", Taxonomy.v1().ids()).answer(Map.of("news", 0.1));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, url).tier(TierName.CONTENT, content).build()) {
      ClassifyResponse failed = h.classify(RouterHarness.url("https://down.example/"));
      assertThat(status(failed, TierName.URL).getState()).isEqualTo(TierState.TIER_STATE_ERROR);
      assertThat(status(failed, TierName.URL).getModel())
          .as("a tier that did not answer: the model its Describe named")
          .isEqualTo(url.model());
      assertThat(status(failed, TierName.CONTENT).getState())
          .isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(status(failed, TierName.CONTENT).getModel())
          .as("a deployed tier skipped for this request: its Describe's model")
          .isEqualTo(content.model());
      assertThat(status(failed, TierName.LLM).getModel())
          .as("not deployed: no model")
          .isEqualTo(ModelInfo.getDefaultInstance());

      ClassifyResponse page =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setText(ByteString.copyFrom("an ordinary page", StandardCharsets.UTF_8))
                  .build());
      assertThat(status(page, TierName.CONTENT).getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(status(page, TierName.CONTENT).getModel())
          .as("an answer: the model in the answer")
          .isEqualTo(content.model());
    }
  }

  @Test
  void aCoverageSnapshotKeepsWhatTheFleetServedWhenItWasTaken() {
    List<String> llmCategories = new ArrayList<>(Taxonomy.v1().ids());
    llmCategories.add("extremism");
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("news", 0.1));
    FakeTier llm = new FakeTier("llm", llmCategories).answer(Map.of("extremism", 0.1));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, url).tier(TierName.LLM, llm).build()) {
      FleetCoverage before = h.router().fleet().coverage();
      assertThat(before.emerging(TierName.LLM)).containsExactly("extremism");

      List<String> more = new ArrayList<>(llmCategories);
      more.add("radicalisation");
      llm.describes(more);
      h.router().fleet().refreshCoverage(Duration.ofSeconds(5)).join();

      assertThat(before.emerging(TierName.LLM))
          .as("a request's snapshot does not change under it")
          .containsExactly("extremism");
      assertThat(h.router().fleet().coverage().emerging(TierName.LLM))
          .containsExactly("extremism", "radicalisation");
      assertThat(before.deployed(TierName.CONTENT)).isFalse();
      assertThat(before.core(TierName.CONTENT)).isNull();
      assertThat(before.model(TierName.URL)).isEqualTo(url.model());
    }
  }

  @Test
  void aStreamItemInFlightTakesTheSlotAUnaryCallWouldNeed() throws Exception {
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).hang();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, url).maxInFlight(1).build()) {
      StreamCollector collector = new StreamCollector();
      StreamObserver<ClassifyRequest> stream =
          h.asyncStub().withDeadlineAfter(20, TimeUnit.SECONDS).classifyStream(collector);
      stream.onNext(
          ClassifyRequest.newBuilder()
              .setRequestId("held")
              .setUrl("https://held.example/")
              .build());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (url.calls() == 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(url.calls()).as("the stream item reached the tier").isEqualTo(1);

      assertThatThrownBy(() -> h.classify(RouterHarness.url("https://unary.example/")))
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(
              e ->
                  assertThat(((StatusRuntimeException) e).getStatus().getCode())
                      .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

      url.answer(Map.of("news", 0.1));
      url.releaseHanging();
      stream.onCompleted();
      List<ClassifyStreamResponse> responses = collector.done.get(20, TimeUnit.SECONDS);
      assertThat(responses)
          .extracting(ClassifyStreamResponse::getRequestId)
          .containsExactly("held");
      assertThat(h.classify(RouterHarness.url("https://unary.example/")).getTiers(0).getState())
          .as("the slot is given back when the item completes")
          .isEqualTo(TierState.TIER_STATE_OK);
    }
  }
}
