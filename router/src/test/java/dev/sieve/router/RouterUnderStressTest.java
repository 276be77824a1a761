package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.LogCapture;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierName;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * #12 items 1, 2 and 7 (router): a short caller deadline is the caller's, never a fail-closed
 * verdict and never a cache entry; a tier outage or overload blocks per policy ({@code
 * on_tier_loss}) but never raises the wellness alert; outages and breaker transitions are logged.
 */
class RouterUnderStressTest {

  private static final List<String> CORE = Taxonomy.v1().ids();

  /**
   * The real url tier has no model for self_harm and weapons (no host labels): it reports no
   * opinion.
   */
  private static final List<String> URL_COVERAGE =
      CORE.stream().filter(id -> !id.equals("self_harm") && !id.equals("weapons")).toList();

  private static final ClassifyRequest KHAN =
      ClassifyRequest.newBuilder()
          .setUrl("https://www.khanacademy.org/math")
          .setText(ByteString.copyFromUtf8("Lesson: adding fractions with unlike denominators."))
          .build();

  private static FakeTier healthyUrl() {
    return new FakeTier("url", URL_COVERAGE).answer(Map.of("education", 0.95, "adult", 0.01));
  }

  private static FakeTier healthyContent() {
    return new FakeTier("content", CORE)
        .answer(Map.of("education", 0.9, "adult", 0.02, "self_harm", 0.01));
  }

  private static CategoryVerdict verdict(ClassifyResponse response, String category) {
    return response.getCategoriesList().stream()
        .filter(v -> v.getCategory().equals(category))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> policyReasons(ClassifyResponse r) {
    return r.getReasonsList().stream()
        .filter(reason -> reason.getTier().equals("policy"))
        .map(reason -> reason.getCategory() + "|" + reason.getEvidence().getDetail())
        .toList();
  }

  /**
   * Production's margin (SIEVE_DEADLINE_MARGIN_MS default): a 2 ms caller leaves no tier budget.
   */
  private static RouterHarness.Builder production() {
    return RouterHarness.builder()
        .tier(TierName.URL, healthyUrl())
        .tier(TierName.CONTENT, healthyContent())
        .deadlineMargin(Duration.ofMillis(5));
  }

  @Test
  void aTwoMillisecondCallerGetsDeadlineExceededAndLeavesNothingInTheCache() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (RouterHarness h = production().build()) {
      // Through the engine with a server-side context (the client may give up first over gRPC).
      Context.CancellableContext twoMs =
          Context.ROOT.withDeadline(Deadline.after(2, TimeUnit.MILLISECONDS), timer);
      try {
        CompletableFuture<ClassifyResponse> shortCall = h.router().engine().classify(KHAN, twoMs);
        assertThatThrownBy(shortCall::join)
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOfSatisfying(
                StatusException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      } finally {
        twoMs.cancel(null);
      }
      assertThat(h.tier(TierName.URL).calls()).as("no budget: no tier call").isZero();
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(h.router().fleet().client(TierName.CONTENT).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);

      ClassifyResponse patient = h.stub().withDeadlineAfter(5, TimeUnit.SECONDS).classify(KHAN);
      assertThat(patient.getCacheHit()).isFalse();
      assertThat(patient.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(patient.getAlert()).isFalse();
      assertThat(patient.getDegraded()).isFalse();
      assertThat(patient.getPrimaryCategory()).isEqualTo("education");

      // URL-only variant, another tenant: nothing degraded was shared either.
      ClassifyRequest bare =
          ClassifyRequest.newBuilder().setUrl(KHAN.getUrl()).setTenantId("school-9").build();
      Context.CancellableContext again =
          Context.ROOT.withDeadline(Deadline.after(2, TimeUnit.MILLISECONDS), timer);
      try {
        assertThatThrownBy(
                () ->
                    h.router()
                        .engine()
                        .classify(bare.toBuilder().setTenantId("").build(), again)
                        .join())
            .hasCauseInstanceOf(StatusException.class);
      } finally {
        again.cancel(null);
      }
      ClassifyResponse other = h.classify(bare);
      assertThat(other.getCacheHit()).isFalse();
      assertThat(other.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(other.getAlert()).isFalse();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aDeadlineShorterThanTheMarginIsRefusedWithoutCallingATier() {
    // The 2 ms / 5 ms case scaled up so that the server, not the client's timer, decides.
    try (RouterHarness h = production().deadlineMargin(Duration.ofMillis(1000)).build()) {
      assertThatThrownBy(
              () -> h.stub().withDeadlineAfter(500, TimeUnit.MILLISECONDS).classify(KHAN))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(e.getStatus().getDescription())
                    .matches(
                        "caller deadline too short \\(\\d+ ms left\\) to consult the url, content tier;"
                            + " no verdict without a tier's answer");
              });
      assertThat(h.tier(TierName.URL).calls()).isZero();
      assertThat(h.tier(TierName.CONTENT).calls()).isZero();
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(
              h.meters
                  .get("sieve.router.degraded")
                  .tag("reason", "caller_deadline_refused")
                  .counter()
                  .count())
          .isEqualTo(1);
      ClassifyResponse patient = h.stub().withDeadlineAfter(5, TimeUnit.SECONDS).classify(KHAN);
      assertThat(patient.getCacheHit()).isFalse();
      assertThat(patient.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(patient.getAlert()).isFalse();
      assertThat(patient.getDegraded()).isFalse();
    }
  }

  @Test
  void oneMillisecondDeadlinesAreDeadlineExceededNeverAnAlert() {
    try (RouterHarness h = production().build()) {
      int deadlineExceeded = 0;
      List<ClassifyResponse> answered = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        try {
          answered.add(h.stub().withDeadlineAfter(1, TimeUnit.MILLISECONDS).classify(KHAN));
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
          deadlineExceeded++;
        }
      }
      assertThat(answered).as("1 ms is under the 5 ms margin: no tier could be asked").isEmpty();
      assertThat(deadlineExceeded).isEqualTo(40);
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(h.meters.get("sieve.router.alerts").counter().count()).isZero();
    }
  }

  @Test
  void aContentOutageUnderTheTaxonomyDefaultsAllowsThePageDegradedAndNeverAlerts() {
    FakeTier content =
        new FakeTier("content", CORE)
            .fail(Status.UNAVAILABLE.withDescription("connection refused"));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, healthyUrl())
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r = h.classify(KHAN);
      assertThat(r.getAction())
          .as("self_harm is ALERT: no evidence, no block; the url tier's verdict stands")
          .isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getAlert()).isFalse();
      assertThat(verdict(r, "self_harm").getDecision()).isFalse();
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
      assertThat(h.router().cache().estimatedSize())
          .as("a degraded verdict is never shared")
          .isZero();
      assertThat(h.meters.get("sieve.router.tier.loss.blocks").counter().count()).isZero();
    }
  }

  @Test
  void aTierOutageBlocksPerPolicyButNeverAlertsAndIsNeverCached() {
    FakeTier content =
        new FakeTier("content", CORE)
            .fail(Status.UNAVAILABLE.withDescription("connection refused"));
    String selfHarmFailsClosed =
        RouterHarness.TEST_POLICY + "categories: {self_harm: {on_tier_loss: block}}\n";
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(selfHarmFailsClosed)
            .tier(TierName.URL, healthyUrl())
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r = h.classify(KHAN);
      assertThat(r.getAction())
          .as("this policy: self_harm blocks on tier loss")
          .isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getAlert()).as("an alert must mean evidence").isFalse();
      assertThat(verdict(r, "self_harm").getDecision()).isTrue();
      assertThat(verdict(r, "adult").getDecision())
          .as("the url tier scored adult: evidence, not loss")
          .isFalse();
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
      assertThat(policyReasons(r)).containsExactly("self_harm|fail-closed: content ERROR");
      assertThat(h.classify(KHAN).getCacheHit()).isFalse();
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(
              h.meters
                  .get("sieve.router.degraded")
                  .tag("reason", "tier_unavailable")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(h.meters.get("sieve.router.tier.loss.blocks").counter().count()).isEqualTo(2);
      assertThat(h.meters.get("sieve.router.alerts").counter().count()).isZero();

      // The alert itself still works, from a model score:
      content.answer(Map.of("self_harm", 0.9));
      ClassifyResponse evidence = h.classify(KHAN.toBuilder().setBypassCache(true).build());
      assertThat(evidence.getAlert()).isTrue();
      assertThat(evidence.getDegraded()).isFalse();
      assertThat(h.meters.get("sieve.router.alerts").counter().count()).isEqualTo(1);
    }
  }

  /**
   * Issue #12: sustained overload used to open the content breaker (each shed counted as a
   * failure), and the open breaker then refused every call the tier could still serve. A shed is
   * the tier protecting itself: it never counts against the breaker (nor the router's adaptive
   * limit), the verdict for that request is degraded (not cached, no alert), and the tier's first
   * answer after the overload is used at once (no CIRCUIT_OPEN window).
   */
  @Test
  void sustainedSheddingNeverOpensTheBreakerNorFloodsTheAlertQueue() throws Exception {
    FakeTier content =
        new FakeTier("content", CORE)
            .fail(
                Status.RESOURCE_EXHAUSTED.withDescription("content overloaded: shed at admission"));
    FakeTier llm =
        new FakeTier("llm", CORE).fail(Status.RESOURCE_EXHAUSTED.withDescription("llm busy"));
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.CONTENT)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(8, 8, 50f, Duration.ofSeconds(60), 2);
    String page =
        "<html><body>" + "Fractions and decimals. ".repeat(850) + "</body></html>"; // ~20 KB
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, healthyUrl())
            .tier(TierName.CONTENT, content)
            .tier(TierName.LLM, llm)
            .resilience(TierName.CONTENT, breaker)
            .build()) {
      int initialLimit = h.router().fleet().client(TierName.CONTENT).concurrencyLimiter().limit();
      List<CompletableFuture<ClassifyResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        CompletableFuture<ClassifyResponse> call = new CompletableFuture<>();
        h.asyncStub()
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .classify(
                ClassifyRequest.newBuilder()
                    .setUrl("https://site" + i + ".example/lesson")
                    .setHtml(ByteString.copyFromUtf8(page))
                    .build(),
                ResilienceTest.observer(call));
        calls.add(call);
      }
      for (CompletableFuture<ClassifyResponse> call : calls) {
        ClassifyResponse r = call.get(20, TimeUnit.SECONDS);
        assertThat(r.getAlert()).isFalse();
        assertThat(r.getDegraded()).isTrue();
        assertThat(r.getDegradedReasonsList())
            .containsExactly(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
        TierStatus contentStatus =
            r.getTiersList().stream()
                .filter(t -> t.getTier().equals("content"))
                .findFirst()
                .orElseThrow();
        assertThat(contentStatus.getState()).isEqualTo(TierState.TIER_STATE_REJECTED);
        assertThat(contentStatus.getDetail()).startsWith("RESOURCE_EXHAUSTED: ");
      }
      assertThat(h.router().fleet().client(TierName.CONTENT).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(h.router().fleet().client(TierName.LLM).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(h.meters.get("sieve.router.alerts").counter().count()).isZero();
      assertThat(
              h.meters
                  .get("sieve.router.tier.outcomes")
                  .tag("tier", "content")
                  .tag("state", "CIRCUIT_OPEN")
                  .counter()
                  .count())
          .isZero();
      assertThat(h.router().cache().estimatedSize()).isZero();
      // Nor do sheds shrink the router's limit for the tier (it follows timeouts and latency).
      assertThat(h.router().fleet().client(TierName.CONTENT).concurrencyLimiter().limit())
          .isEqualTo(initialLimit);
      assertThat(
              h.meters
                  .get("sieve.concurrency.limit")
                  .tag("side", "client")
                  .tag("name", "content")
                  .gauge()
                  .value())
          .isEqualTo(initialLimit);

      // The overload ends: the next request is the tier's own answer, not CIRCUIT_OPEN.
      content.answer(Map.of());
      llm.answer(Map.of());
      ClassifyResponse after =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://after.example/")
                  .setHtml(ByteString.copyFromUtf8(page))
                  .build());
      assertThat(
              after.getTiersList().stream()
                  .filter(t -> t.getTier().equals("content"))
                  .findFirst()
                  .orElseThrow()
                  .getState())
          .isEqualTo(TierState.TIER_STATE_OK);
      assertThat(after.getDegraded()).isFalse();
    }
  }

  /** The same breaker settings do open on an outage: the test above would fail if sheds counted. */
  @Test
  void anOutageStillOpensTheBreaker() throws Exception {
    FakeTier content =
        new FakeTier("content", CORE)
            .fail(Status.UNAVAILABLE.withDescription("connection refused"));
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.CONTENT)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(8, 8, 50f, Duration.ofSeconds(60), 2);
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, healthyUrl())
            .tier(TierName.CONTENT, content)
            .resilience(TierName.CONTENT, breaker)
            .build()) {
      int limit = h.router().fleet().client(TierName.CONTENT).concurrencyLimiter().limit();
      for (int i = 0; i < 12; i++) {
        ClassifyResponse r = h.classify(KHAN.toBuilder().setBypassCache(true).build());
        assertThat(r.getAlert()).isFalse();
        assertThat(r.getDegraded()).isTrue();
      }
      assertThat(h.router().fleet().client(TierName.CONTENT).breakerState())
          .isEqualTo(CircuitBreaker.State.OPEN);
      // An outage is not congestion: the adaptive limit is left alone.
      assertThat(h.router().fleet().client(TierName.CONTENT).concurrencyLimiter().limit())
          .isEqualTo(limit);
    }
  }

  private static final String LOSS_POLICY =
      RouterHarness.TEST_POLICY
          + """
          categories:
            adult: {on_tier_loss: allow}
            self_harm: {on_tier_loss: url_only}
            weapons: {on_tier_loss: block}
          """;

  @Test
  void perCategoryTierLossPolicyBlockAllowOrUrlOnlyWithReasons() {
    FakeTier url =
        new FakeTier("url", FakeTier.ids("news", "gambling")).answer(Map.of("news", 0.9));
    FakeTier content = new FakeTier("content", CORE).fail(Status.UNAVAILABLE);
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(LOSS_POLICY)
            .tier(TierName.URL, url)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse withUrl = h.classify(KHAN);
      assertThat(verdict(withUrl, "adult").getDecision()).as("allow: fail-open").isFalse();
      assertThat(verdict(withUrl, "self_harm").getDecision())
          .as("url_only: the url tier answered")
          .isFalse();
      assertThat(verdict(withUrl, "weapons").getDecision()).as("block").isTrue();
      assertThat(withUrl.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(withUrl.getPrimaryCategory()).isEqualTo("weapons");
      assertThat(withUrl.getAlert()).isFalse();
      assertThat(policyReasons(withUrl))
          .containsExactly(
              "self_harm|url-only: content ERROR; the url tier answered without evidence for it: not decided",
              "weapons|fail-closed: content ERROR");

      ClassifyResponse textOnly =
          h.classify(ClassifyRequest.newBuilder().setText(KHAN.getText()).build());
      assertThat(verdict(textOnly, "self_harm").getDecision())
          .as("url_only without a url-tier answer blocks")
          .isTrue();
      assertThat(textOnly.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(textOnly.getAlert())
          .as("self_harm is ALERT, but blocked without evidence: no alert")
          .isFalse();
      assertThat(policyReasons(textOnly))
          .containsExactly(
              "self_harm|url-only: content ERROR; no url-tier answer: blocked",
              "weapons|fail-closed: content ERROR");
    }
  }

  @Test
  void aPolicyMayAllowEverythingUnderTierLossAndTheVerdictStillSaysDegraded() {
    String allowAll =
        RouterHarness.TEST_POLICY
            + "categories: {adult: {on_tier_loss: allow}, self_harm: {fail_closed: false}}\n";
    FakeTier content = new FakeTier("content", CORE).fail(Status.UNAVAILABLE);
    try (RouterHarness h =
        RouterHarness.builder().policy(allowAll).tier(TierName.CONTENT, content).build()) {
      ClassifyResponse r = h.classify(ClassifyRequest.newBuilder().setText(KHAN.getText()).build());
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
      assertThat(r.getTtlSeconds()).isEqualTo(5);
    }
  }

  @Test
  void tierDownBreakerTransitionsTierUpAndFailClosedDecisionsAreLogged() {
    FakeTier url =
        new FakeTier("url", CORE).fail(Status.UNAVAILABLE.withDescription("connection refused"));
    ResilienceSettings breaker =
        ResilienceSettings.defaults(TierName.URL)
            .withTimeout(Duration.ofSeconds(5))
            .withBreaker(4, 4, 50f, Duration.ofSeconds(30), 1);
    try (LogCapture tierLog = new LogCapture(TierClient.class);
        LogCapture engineLog = new LogCapture(ClassificationEngine.class);
        RouterHarness h =
            RouterHarness.builder()
                .tier(TierName.URL, url)
                .resilience(TierName.URL, breaker)
                .build()) {
      for (int i = 0; i < 5; i++) {
        h.classify(RouterHarness.url("https://x" + i + ".example/"));
      }
      assertThat(h.router().fleet().client(TierName.URL).breakerState())
          .isEqualTo(CircuitBreaker.State.OPEN);
      h.clock.advance(Duration.ofSeconds(31));
      url.answer(Map.of("news", 0.9));
      h.classify(RouterHarness.url("https://y.example/"));
      assertThat(h.router().fleet().client(TierName.URL).breakerState())
          .isEqualTo(CircuitBreaker.State.CLOSED);

      List<String> health =
          tierLog.lines().stream().filter(line -> !line.contains(": model ")).toList();
      assertThat(health).hasSize(5);
      assertThat(health.subList(0, 4))
          .containsExactly(
              "WARN tier url: down: UNAVAILABLE: connection refused (breaker CLOSED)",
              "WARN tier url: circuit breaker CLOSED -> OPEN (failure rate 100.0% over the last 4 calls)",
              "WARN tier url: circuit breaker OPEN -> HALF_OPEN (failure rate n/a over the last 0 calls)",
              "INFO tier url: circuit breaker HALF_OPEN -> CLOSED (failure rate n/a over the last 0 calls)");
      assertThat(health.get(4))
          .matches("INFO tier url: up again after \\d+ ms \\(4 failed calls; breaker CLOSED\\)");
      // Five fail-closed verdicts, two lines: one per tier state (four ERROR, then CIRCUIT_OPEN),
      // the
      // repeats within the interval held back.
      assertThat(engineLog.lines()).hasSize(2);
      assertThat(engineLog.lines().get(0))
          .matches(
              "WARN fail-closed: \\[adult \\(block\\)\\] blocked without evidence"
                  + " \\(no alert\\) for url ERROR: request \\S+ tenant '' https://x0\\.example/");
      assertThat(engineLog.lines().get(1))
          .matches(
              "WARN fail-closed: .* for url CIRCUIT_OPEN: request \\S+ tenant '' https://x4\\.example/");
    }
  }
}
