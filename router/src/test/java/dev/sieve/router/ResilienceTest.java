package dev.sieve.router;

import static dev.sieve.router.support.RouterHarness.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.limit.ConcurrencyLimitSettings;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceTest {

  private static final List<String> CORE = Taxonomy.v1().ids();

  private static CategoryVerdict verdict(ClassifyResponse response, String category) {
    return response.getCategoriesList().stream()
        .filter(v -> v.getCategory().equals(category))
        .findFirst()
        .orElseThrow();
  }

  private static TierStatus status(ClassifyResponse response, String tier) {
    return response.getTiersList().stream()
        .filter(t -> t.getTier().equals(tier))
        .findFirst()
        .orElseThrow();
  }

  private static ClassifyRequest fresh(String url) {
    return ClassifyRequest.newBuilder().setUrl(url).setBypassCache(true).build();
  }

  @Test
  void failClosedCategoriesAreDecidedPositiveWhenTheirTierErrors() {
    FakeTier urlTier =
        new FakeTier("url", CORE).fail(Status.UNAVAILABLE.withDescription("connection refused"));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      ClassifyResponse r = h.classify(url("https://unknown.example/"));
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_ERROR);
      assertThat(status(r, "url").getDetail()).isEqualTo("UNAVAILABLE: connection refused");
      assertThat(verdict(r, "adult").getDecision()).isTrue();
      assertThat(verdict(r, "adult").getScore()).as("honest: nobody scored it").isZero();
      assertThat(verdict(r, "self_harm").getDecision())
          .as(
              "an ALERT category is not fail-closed: blocking without evidence would be stricter than with it")
          .isFalse();
      assertThat(verdict(r, "violence").getDecision()).as("fail-open category").isFalse();
      assertThat(verdict(r, "gambling").getDecision()).isFalse();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getAlert())
          .as("fail-closed blocks, it does not accuse: no model score, no alert")
          .isFalse();
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
      assertThat(r.getReasonsList())
          .filteredOn(reason -> reason.getTier().equals("policy"))
          .extracting(
              reason ->
                  reason.getCategory()
                      + "|"
                      + reason.getEvidence().getKind()
                      + "|"
                      + reason.getEvidence().getDetail())
          .containsExactly("adult|KIND_RULE|fail-closed: url ERROR");
      assertThat(r.getTtlSeconds()).as("degraded verdicts get the short TTL").isEqualTo(5);
    }
  }

  @Test
  void failOpenCategoriesStayUndecidedWhenThePolicySaysSo() {
    FakeTier urlTier = new FakeTier("url", CORE).fail(Status.UNAVAILABLE);
    String policy =
        RouterHarness.TEST_POLICY
            + "categories: {adult: {fail_closed: false}, self_harm: {fail_closed: false}, piracy: {fail_closed: true}}\n";
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.URL, urlTier).build()) {
      ClassifyResponse r = h.classify(url("https://unknown.example/"));
      assertThat(verdict(r, "adult").getDecision()).isFalse();
      assertThat(verdict(r, "self_harm").getDecision()).isFalse();
      assertThat(verdict(r, "piracy").getDecision()).isTrue();
      assertThat(r.getPrimaryCategory()).isEqualTo("piracy");
    }
  }

  @Test
  void onlyCategoriesTheUnavailableTierCoversFailClosed() {
    FakeTier urlTier = new FakeTier("url", FakeTier.ids("gambling", "adult")).fail(Status.INTERNAL);
    String policy = RouterHarness.TEST_POLICY + "categories: {piracy: {fail_closed: true}}\n";
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.URL, urlTier).build()) {
      ClassifyResponse r = h.classify(url("https://unknown.example/"));
      assertThat(verdict(r, "adult").getDecision()).isTrue();
      assertThat(verdict(r, "piracy").getDecision())
          .as("the url tier does not cover piracy")
          .isFalse();
    }
  }

  @Test
  void anotherTiersOpinionPreventsFailClosed() {
    FakeTier urlTier = new FakeTier("url", CORE).fail(Status.UNAVAILABLE);
    FakeTier content =
        new FakeTier("content", CORE).answer(Map.of("adult", 0.1, "self_harm", 0.05));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://x.example/")
                  .setText(ByteString.copyFromUtf8("hi"))
                  .build());
      assertThat(verdict(r, "adult").getDecision()).isFalse();
      assertThat(verdict(r, "self_harm").getDecision()).isFalse();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getTtlSeconds()).as("still degraded").isEqualTo(5);
    }
  }

  @Test
  void aTierThatWasNotNeededDoesNotFailAnything() {
    FakeTier urlTier = new FakeTier("url", CORE).answer(Map.of("adult", 0.0, "self_harm", 0.0));
    FakeTier content = new FakeTier("content", CORE).fail(Status.UNAVAILABLE);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(content.calls()).isZero();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getTtlSeconds()).isEqualTo(300);
    }
  }

  @Test
  void circuitBreakerOpensThenHalfOpensThenCloses() {
    FakeTier urlTier = new FakeTier("url", CORE).fail(Status.UNAVAILABLE);
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(4, 4, 50f, Duration.ofSeconds(30), 2);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .resilience(TierName.URL, breaker)
            .build()) {
      var client = h.router().fleet().client(TierName.URL);
      for (int i = 0; i < 4; i++) {
        assertThat(status(h.classify(fresh("https://x" + i + ".example/")), "url").getState())
            .isEqualTo(TierState.TIER_STATE_ERROR);
      }
      assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

      ClassifyResponse open = h.classify(fresh("https://y.example/"));
      assertThat(status(open, "url").getState()).isEqualTo(TierState.TIER_STATE_CIRCUIT_OPEN);
      assertThat(urlTier.calls()).as("an open breaker does not call the tier").isEqualTo(4);
      assertThat(verdict(open, "adult").getDecision())
          .as("circuit open counts as unavailable")
          .isTrue();

      h.clock.advance(Duration.ofSeconds(31));
      urlTier.answer(Map.of("news", 0.9));
      assertThat(status(h.classify(fresh("https://z1.example/")), "url").getState())
          .isEqualTo(TierState.TIER_STATE_OK);
      assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
      assertThat(status(h.classify(fresh("https://z2.example/")), "url").getState())
          .isEqualTo(TierState.TIER_STATE_OK);
      assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(urlTier.calls()).isEqualTo(6);
    }
  }

  @Test
  void invalidArgumentFromATierGoesBackToTheCallerAndNeverTripsTheBreaker() {
    FakeTier urlTier =
        new FakeTier("url", CORE).fail(Status.INVALID_ARGUMENT.withDescription("host too odd"));
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(4, 4, 50f, Duration.ofSeconds(30), 2);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .resilience(TierName.URL, breaker)
            .build()) {
      for (int i = 0; i < 6; i++) {
        assertThatThrownBy(() -> h.classify(fresh("https://x.example/")))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                  assertThat(e.getStatus().getDescription())
                      .isEqualTo("url tier rejected the input: INVALID_ARGUMENT: host too odd");
                });
      }
      assertThat(urlTier.calls()).isEqualTo(6);
      assertThat(h.router().fleet().client(TierName.URL).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(h.router().cache().estimatedSize()).as("errors are never cached").isZero();
    }
  }

  @Test
  void aSlowTierTimesOutAndTheResponseStillArrivesWithinTheCallersDeadline() {
    // The url tier scores every category the hanging content tier covers, so nothing depends on
    // the content tier alone: a partial answer, marked as such (#12 item 1).
    FakeTier urlTier =
        new FakeTier("url", CORE).answer(Map.of("news", 0.9, "adult", 0.0, "self_harm", 0.0));
    FakeTier content = new FakeTier("content", CORE).hang();
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .deadlineMargin(Duration.ofMillis(1000))
            .build()) {
      ClassifyResponse r =
          h.stub()
              .withDeadlineAfter(2500, TimeUnit.MILLISECONDS)
              .classify(
                  ClassifyRequest.newBuilder()
                      .setUrl("https://x.example/")
                      .setText(ByteString.copyFromUtf8("t"))
                      .build());
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_TIMEOUT);
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(status(r, "content").getDetail()).startsWith("caller deadline: DEADLINE_EXCEEDED");
      assertThat(verdict(r, "news").getDecision()).isTrue();
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_CALLER_DEADLINE);
      assertThat(r.getTtlSeconds()).as("a partial answer is not to be cached").isZero();
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(h.router().fleet().client(TierName.CONTENT).breakerState())
          .as("the caller's deadline was binding: not the tier's failure")
          .isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void aCallerDeadlineThatCutsTheOnlyTierCoveringAFailClosedCategoryIsDeadlineExceeded() {
    FakeTier urlTier = new FakeTier("url", CORE).answer(Map.of("news", 0.9));
    FakeTier content = new FakeTier("content", CORE).hang();
    // A breaker that would open after two recorded failures: caller-cut timeouts must not count.
    ResilienceSettings touchy =
        ResilienceSettings.defaults(TierName.CONTENT)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(2, 2, 50f, Duration.ofSeconds(30), 1);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .resilience(TierName.CONTENT, touchy)
            .deadlineMargin(Duration.ofMillis(500))
            .build()) {
      for (int i = 0; i < 3; i++) {
        ClassifyRequest page =
            ClassifyRequest.newBuilder()
                .setUrl("https://x" + i + ".example/")
                .setText(ByteString.copyFromUtf8("t"))
                .build();
        assertThatThrownBy(
                () -> h.stub().withDeadlineAfter(1500, TimeUnit.MILLISECONDS).classify(page))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                  assertThat(e.getStatus().getDescription())
                      .startsWith("caller deadline too short (")
                      .endsWith("for the content tier, which adult depends on");
                });
      }
      assertThat(content.calls())
          .as("the tier was called, and timed out on the caller's deadline")
          .isEqualTo(3);
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(
              h.meters
                  .get("sieve.router.degraded")
                  .tag("reason", "caller_deadline_refused")
                  .counter()
                  .count())
          .isEqualTo(3);
      assertThat(h.router().fleet().client(TierName.CONTENT).breakerState())
          .as("a caller's short deadline is not the tier's failure")
          .isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void theTiersOwnTimeoutCapsACallWithoutCallerDeadline() {
    FakeTier content = new FakeTier("content", CORE).hang();
    ResilienceSettings shortTimeout =
        ResilienceSettings.defaults(TierName.CONTENT).withTimeout(Duration.ofMillis(200));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.CONTENT, content)
            .resilience(TierName.CONTENT, shortTimeout)
            .build()) {
      ClassifyResponse r =
          h.classify(ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("t")).build());
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_TIMEOUT);
      assertThat(verdict(r, "adult").getDecision())
          .as("content covers adult: fail closed")
          .isTrue();
    }
  }

  @Test
  void expiredWorkIsNeverStarted() {
    FakeTier urlTier = new FakeTier("url", CORE);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .deadlineMargin(Duration.ofMillis(500))
            .build()) {
      CompletableFuture<TierOutcome> outcome = new CompletableFuture<>();
      h.router()
          .fleet()
          .client(TierName.URL)
          .score(
              ScoreRequest.newBuilder().setUrl("https://x.example/").build(),
              Deadline.after(100, TimeUnit.MILLISECONDS),
              null,
              outcome::complete);
      TierOutcome result = outcome.join();
      assertThat(result.state()).isEqualTo(TierState.TIER_STATE_TIMEOUT);
      assertThat(result.detail()).isEqualTo("caller deadline expired before the call started");
      assertThat(urlTier.calls()).isZero();
    }
  }

  @Test
  void aTierAnsweringResourceExhaustedIsRejected() {
    FakeTier content =
        new FakeTier("content", CORE).fail(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.CONTENT, content).build()) {
      ClassifyResponse r =
          h.classify(ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("t")).build());
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_REJECTED);
      assertThat(status(r, "content").getDetail()).isEqualTo("RESOURCE_EXHAUSTED: queue full");
    }
  }

  @Test
  void theRoutersConcurrencyLimitRefusesWithoutSendingAndWithoutTouchingTheBreaker()
      throws Exception {
    AtomicInteger seen = new AtomicInteger();
    FakeTier urlTier =
        new FakeTier("url", CORE)
            .behave(
                request ->
                    seen.getAndIncrement() < 2
                        ? new FakeTier.Hang()
                        : new FakeTier.Answer(new FakeTier("url", CORE).response(Map.of())));
    ResilienceSettings limited =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(4, 4, 50f, Duration.ofSeconds(60), 1)
            .withConcurrencyLimit(ConcurrencyLimitSettings.fixed(2));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .resilience(TierName.URL, limited)
            .build()) {
      List<CompletableFuture<ClassifyResponse>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        CompletableFuture<ClassifyResponse> call = new CompletableFuture<>();
        h.asyncStub()
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .classify(fresh("https://slow" + i + ".example/"), observer(call));
        held.add(call);
      }
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (urlTier.calls() < 2 && System.nanoTime() < giveUp) {
        Thread.sleep(5);
      }
      for (int i = 0; i < 6; i++) {
        ClassifyResponse refused = h.classify(fresh("https://fast" + i + ".example/"));
        assertThat(status(refused, "url").getState()).isEqualTo(TierState.TIER_STATE_REJECTED);
        assertThat(status(refused, "url").getDetail())
            .isEqualTo(
                "RESOURCE_EXHAUSTED: router's concurrency limit for the url tier reached (2 calls in flight, adaptive limit 2); not sent");
        assertThat(refused.getDegraded()).isTrue();
      }
      assertThat(urlTier.calls()).isEqualTo(2);
      assertThat(h.router().fleet().client(TierName.URL).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(
              h.meters
                  .get("sieve.concurrency.limit.rejected")
                  .tag("name", "url")
                  .functionCounter()
                  .count())
          .isEqualTo(6);
      urlTier.releaseHanging();
      for (CompletableFuture<ClassifyResponse> call : held) {
        call.get(10, TimeUnit.SECONDS);
      }
      assertThat(status(h.classify(fresh("https://fast.example/")), "url").getState())
          .isEqualTo(TierState.TIER_STATE_OK);
    }
  }

  @Test
  void aFullBulkheadRejectsWithoutCallingTheTier() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    FakeTier urlTier =
        new FakeTier("url", CORE)
            .behave(
                request ->
                    seen.getAndIncrement() == 0
                        ? new FakeTier.Hang()
                        : new FakeTier.Answer(new FakeTier("url", CORE).response(Map.of())));
    ResilienceSettings one =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withMaxConcurrentCalls(1);
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, urlTier).resilience(TierName.URL, one).build()) {
      CompletableFuture<ClassifyResponse> first = new CompletableFuture<>();
      h.asyncStub()
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .classify(fresh("https://slow.example/"), observer(first));
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (urlTier.calls() == 0 && System.nanoTime() < giveUp) {
        Thread.sleep(5);
      }
      ClassifyResponse second = h.classify(fresh("https://fast.example/"));
      assertThat(status(second, "url").getState()).isEqualTo(TierState.TIER_STATE_REJECTED);
      assertThat(status(second, "url").getDetail())
          .isEqualTo("router bulkhead full (1 concurrent calls)");
      assertThat(urlTier.calls()).isEqualTo(1);
      urlTier.releaseHanging();
      assertThat(status(first.get(10, TimeUnit.SECONDS), "url").getState())
          .isEqualTo(TierState.TIER_STATE_ERROR);
      assertThat(status(h.classify(fresh("https://fast.example/")), "url").getState())
          .isEqualTo(TierState.TIER_STATE_OK);
    }
  }

  static <T> StreamObserver<T> observer(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  @Test
  void evidenceKindsAreCopiedFromTheTier() {
    // guards the reasons plumbing used by every failure test above
    FakeTier urlTier = new FakeTier("url", CORE).answer(Map.of("weapons", 0.9));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(r.getReasonsList())
          .singleElement()
          .satisfies(
              reason -> {
                assertThat(reason.getCategory()).isEqualTo("weapons");
                assertThat(reason.getEvidence().getKind()).isEqualTo(Evidence.Kind.KIND_FEATURE);
                assertThat(reason.getEvidence().getDetail()).isEqualTo("url feature for weapons");
              });
    }
  }
}
