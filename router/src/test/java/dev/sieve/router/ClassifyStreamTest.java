package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.support.StreamCollector;
import dev.sieve.router.tier.TierName;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClassifyStreamTest {

  @Test
  void everyRequestGetsOneResponseAndBadItemsGetItemErrorsWithoutClosingTheStream()
      throws Exception {
    FakeTier urlTier = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.9));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      StreamCollector collector = new StreamCollector();
      StreamObserver<ClassifyRequest> requests =
          h.asyncStub().withDeadlineAfter(20, TimeUnit.SECONDS).classifyStream(collector);
      requests.onNext(
          ClassifyRequest.newBuilder().setRequestId("ok-1").setUrl("https://a.example/").build());
      requests.onNext(ClassifyRequest.newBuilder().setRequestId("empty").build());
      requests.onNext(
          ClassifyRequest.newBuilder()
              .setRequestId("bad-utf8")
              .setText(ByteString.copyFrom(new byte[] {(byte) 0xFE}))
              .build());
      requests.onNext(
          ClassifyRequest.newBuilder().setRequestId("ok-2").setUrl("https://b.example/").build());
      requests.onNext(
          ClassifyRequest.newBuilder()
              .setRequestId("bad-tier")
              .setUrl("https://c.example/")
              .addTiers("x")
              .build());
      requests.onNext(
          ClassifyRequest.newBuilder().setRequestId("ok-3").setUrl("https://a.example/").build());
      requests.onCompleted();

      List<ClassifyStreamResponse> responses = collector.done.get(20, TimeUnit.SECONDS);
      Map<String, ClassifyStreamResponse> byId =
          responses.stream()
              .collect(Collectors.toMap(ClassifyStreamResponse::getRequestId, r -> r));
      assertThat(byId).containsOnlyKeys("ok-1", "empty", "bad-utf8", "ok-2", "bad-tier", "ok-3");
      assertThat(byId.get("ok-1").getResponse().getPrimaryCategory()).isEqualTo("gambling");
      assertThat(byId.get("ok-1").getResponse().getRequestId()).isEqualTo("ok-1");
      assertThat(byId.get("ok-3").getResponse().getCacheHit()).isTrue();
      assertThat(byId.get("empty").getError().getCode()).isEqualTo("INVALID_ARGUMENT");
      assertThat(byId.get("empty").getError().getMessage())
          .isEqualTo("request has no url, html or text: nothing to classify");
      assertThat(byId.get("bad-utf8").getError().getCode()).isEqualTo("INVALID_ARGUMENT");
      assertThat(byId.get("bad-tier").getError().getMessage()).startsWith("unknown tier 'x'");
      assertThat(byId.get("ok-2").hasResponse()).isTrue();
    }
  }

  @Test
  void theRouterDoesNotReadFurtherAheadThanItsWindow() throws Exception {
    FakeTier urlTier = new FakeTier("url", Taxonomy.v1().ids()).hang();
    int window = 3;
    int items = 10;
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, urlTier).streamWindow(window).build()) {
      StreamCollector collector = new StreamCollector();
      StreamObserver<ClassifyRequest> requests =
          h.asyncStub().withDeadlineAfter(20, TimeUnit.SECONDS).classifyStream(collector);
      for (int i = 0; i < items; i++) {
        requests.onNext(
            ClassifyRequest.newBuilder()
                .setRequestId("r" + i)
                .setUrl("https://x" + i + ".example/")
                .build());
      }
      requests.onCompleted();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (urlTier.calls() < window && System.nanoTime() < giveUp) {
        Thread.sleep(5);
      }
      Thread.sleep(200); // give a misbehaving router the chance to read more
      assertThat(urlTier.calls()).isEqualTo(window);
      assertThat(collector.responses).isEmpty();

      urlTier.answer(Map.of("news", 0.9));
      urlTier.releaseHanging();
      List<ClassifyStreamResponse> responses = collector.done.get(20, TimeUnit.SECONDS);
      assertThat(responses).hasSize(items);
      assertThat(responses)
          .extracting(ClassifyStreamResponse::getRequestId)
          .containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
      assertThat(
              responses.stream()
                  .filter(r -> r.getResponse().getTiers(0).getState() == TierState.TIER_STATE_ERROR)
                  .count())
          .as("the released hanging calls")
          .isEqualTo(window);
      assertThat(urlTier.calls()).isEqualTo(items);
    }
  }
}
