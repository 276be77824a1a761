package dev.sieve.router.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.proto.v1.OverrideSet;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.support.StreamCollector;
import dev.sieve.router.tier.TierName;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant host overrides end to end through the router (in-process), with the annotation app played
 * by {@link FakeFeedbackService} (a test double: the real app is another module, built in parallel)
 * and time by the harness's clock.
 */
class HostOverridesTest {

  @TempDir Path dir;

  private static FakeTier urlTier() {
    return new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("news", 0.9));
  }

  private static HostOverride block(String id, String tenant, String host, long expiresAtMs) {
    return HostOverride.newBuilder()
        .setId(id)
        .setTenantId(tenant)
        .setHost(host)
        .setEffect(HostOverride.Effect.EFFECT_BLOCK)
        .setCreatedAtMs(expiresAtMs - 7_200_000)
        .setExpiresAtMs(expiresAtMs)
        .setCreatedBy("t.smith")
        .setReason("exam today")
        .build();
  }

  private static ClassifyRequest request(String tenant, String url) {
    return ClassifyRequest.newBuilder().setTenantId(tenant).setUrl(url).build();
  }

  private RouterHarness harness(FakeFeedbackService app) {
    RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier())
            .feedback(FeedbackSettings.none(), app.channel)
            .build();
    h.router().feedback().start();
    return h;
  }

  private static long now(RouterHarness h) {
    return h.clock.millis();
  }

  @Test
  void anOverrideAppliesOnTheNextRequestOfItsTenantOnlyAndNeverThroughTheCache() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(app)) {
      ClassifyResponse before = h.classify(request("school-1", "https://www.example.org/a"));
      assertThat(before.getAction()).isEqualTo(Action.ACTION_ALLOW);

      long expires = now(h) + Duration.ofHours(2).toMillis();
      app.push(
          OverrideSet.newBuilder()
              .setRevision(2)
              .addOverrides(block("ov-7", "school-1", "Example.ORG", expires))
              .build());

      ClassifyResponse overridden = h.classify(request("school-1", "https://www.example.org/a"));
      assertThat(overridden.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(overridden.getCacheHit()).as("the model's verdict came from the cache").isTrue();
      Reason reason = overridden.getReasonsList().get(overridden.getReasonsCount() - 1);
      assertThat(reason.getTier()).isEqualTo("override");
      assertThat(reason.getEvidence().getKind()).isEqualTo(Evidence.Kind.KIND_RULE);
      assertThat(reason.getEvidence().getSource()).isEqualTo("override ov-7");
      assertThat(reason.getEvidence().getDetail())
          .contains(
              "ov-7",
              "block example.org",
              "school-1",
              "t.smith",
              Instant.ofEpochMilli(expires).toString(),
              "exam today");

      // Another tenant on the same (default) policy shares the cache entry and never sees the
      // override.
      ClassifyResponse other = h.classify(request("school-2", "https://www.example.org/a"));
      assertThat(other.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(other.getCacheHit()).isTrue();
      assertThat(other.getReasonsList()).noneMatch(r -> r.getTier().equals("override"));
      // Nor does a request without a tenant, nor a sibling domain.
      assertThat(h.classify(request("", "https://www.example.org/a")).getAction())
          .isEqualTo(Action.ACTION_ALLOW);
      assertThat(h.classify(request("school-1", "https://notexample.org/")).getAction())
          .isEqualTo(Action.ACTION_ALLOW);
      // Subdomains and other paths of the host are covered, fresh (uncached) verdicts too.
      assertThat(h.classify(request("school-1", "http://deep.sub.example.org/x?y=1")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);

      // What the cache holds is the model's verdict: bypassing the override is impossible, and a
      // bypass of the cache still gets the override.
      ClassifyResponse bypass =
          h.classify(
              request("school-1", "https://www.example.org/a").toBuilder()
                  .setBypassCache(true)
                  .build());
      assertThat(bypass.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(bypass.getCacheHit()).isFalse();

      double applied =
          h.meters.get("sieve.router.overrides.applied").tags("effect", "block").counter().count();
      assertThat(applied).isEqualTo(3);
      assertThat(h.meters.get("sieve.router.overrides.active").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void anOverrideExpiresExactlyAtItsExpiryAndItsTtlNeverOutlivesIt() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(app)) {
      long expires = now(h) + 90_500; // 90.5 s: less than the policy's 300 s negative TTL
      app.push(
          OverrideSet.newBuilder()
              .setRevision(1)
              .addOverrides(block("ov-1", "school-1", "example.org", expires))
              .build());

      ClassifyResponse first = h.classify(request("school-1", "https://example.org/"));
      assertThat(first.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(first.getTtlSeconds()).as("cut to the seconds left, rounded down").isEqualTo(90);

      h.clock.advance(Duration.ofMillis(90_499));
      ClassifyResponse last = h.classify(request("school-1", "https://example.org/"));
      assertThat(last.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(last.getTtlSeconds()).isZero();

      h.clock.advance(Duration.ofMillis(1));
      ClassifyResponse after = h.classify(request("school-1", "https://example.org/"));
      assertThat(after.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(after.getReasonsList()).noneMatch(r -> r.getTier().equals("override"));
      assertThat(h.meters.get("sieve.router.overrides.active").gauge().value()).isZero();
    }
  }

  @Test
  void whenTheStreamIsDownHeldOverridesStillApplyAndStillExpireThenTheRouterReconnects()
      throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(app)) {
      long expires = now(h) + 60_000;
      app.push(
          OverrideSet.newBuilder()
              .setRevision(3)
              .addOverrides(block("ov-3", "school-1", "example.org", expires))
              .build());
      app.dropStreams();
      assertThat(h.classify(request("school-1", "https://example.org/")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);
      h.clock.advance(Duration.ofSeconds(60));
      assertThat(h.classify(request("school-1", "https://example.org/")).getAction())
          .as("expired with no stream to tell the router")
          .isEqualTo(Action.ACTION_ALLOW);

      // The app comes back with a new set (its first message is the whole current set, revision
      // reset).
      app.current =
          OverrideSet.newBuilder()
              .setRevision(1)
              .addOverrides(block("ov-9", "school-1", "example.net", now(h) + 60_000))
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (app.watchCalls.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(app.watchCalls.get()).as("reconnected after back-off").isGreaterThanOrEqualTo(2);
      assertThat(h.classify(request("school-1", "https://example.net/")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);
      assertThat(h.meters.get("sieve.router.overrides.stream.connected").gauge().value())
          .isEqualTo(1);
    }
  }

  @Test
  void theNewestMostSpecificOverrideWinsAndAStaleSetIsIgnored() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(app)) {
      long later = now(h) + 3_600_000;
      HostOverride blockParent = block("ov-a", "school-1", "example.org", later);
      HostOverride allowChild =
          blockParent.toBuilder()
              .setId("ov-b")
              .setHost("docs.example.org")
              .setEffect(HostOverride.Effect.EFFECT_ALLOW)
              .build();
      app.push(
          OverrideSet.newBuilder()
              .setRevision(5)
              .addOverrides(blockParent)
              .addOverrides(allowChild)
              .build());
      assertThat(h.classify(request("school-1", "https://docs.example.org/")).getAction())
          .isEqualTo(Action.ACTION_ALLOW);
      assertThat(h.classify(request("school-1", "https://www.example.org/")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);

      app.push(OverrideSet.newBuilder().setRevision(4).build()); // stale within the stream
      assertThat(h.classify(request("school-1", "https://www.example.org/")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);
      app.push(OverrideSet.newBuilder().setRevision(6).build()); // revoked
      assertThat(h.classify(request("school-1", "https://www.example.org/")).getAction())
          .isEqualTo(Action.ACTION_ALLOW);
    }
  }

  @Test
  void streamedItemsGetTheOverrideTooAndAReportSeesTheVerdictServed() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(app)) {
      app.push(
          OverrideSet.newBuilder()
              .setRevision(1)
              .addOverrides(block("ov-s", "school-1", "example.org", now(h) + 600_000))
              .build());
      StreamCollector collector = new StreamCollector();
      StreamObserver<ClassifyRequest> requests =
          h.asyncStub().withDeadlineAfter(20, TimeUnit.SECONDS).classifyStream(collector);
      requests.onNext(
          request("school-1", "https://example.org/").toBuilder().setRequestId("s-1").build());
      requests.onNext(
          request("school-2", "https://example.org/").toBuilder().setRequestId("s-2").build());
      requests.onCompleted();
      Map<String, ClassifyResponse> byId =
          collector.done.get(20, TimeUnit.SECONDS).stream()
              .collect(
                  Collectors.toMap(
                      ClassifyStreamResponse::getRequestId, ClassifyStreamResponse::getResponse));
      assertThat(byId.get("s-1").getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(byId.get("s-2").getAction()).isEqualTo(Action.ACTION_ALLOW);

      h.stub()
          .reportVerdict(
              ReportVerdictRequest.newBuilder()
                  .setTenantId("school-1")
                  .setRequestId("s-1")
                  .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK)
                  .setReportId("rep-s")
                  .build());
      assertThat(app.reports).hasSize(1);
      assertThat(app.reports.get(0).getServedAction())
          .as("what was served, override included")
          .isEqualTo("BLOCK");
    }
  }

  @Test
  void overridesThatCannotApplySafelyAreDropped() {
    HostOverrideRegistry registry = new HostOverrideRegistry(Clock.systemUTC());
    long later = System.currentTimeMillis() + 3_600_000;
    HostOverride ok = block("ok", "school-1", "example.org", later);
    registry.replace(
        HostOverrideRegistry.Source.STREAM,
        OverrideSet.newBuilder()
            .addOverrides(ok)
            .addOverrides(ok.toBuilder().setId("no-tenant").setTenantId(""))
            .addOverrides(ok.toBuilder().setId("no-expiry").setExpiresAtMs(0))
            .addOverrides(
                ok.toBuilder().setId("no-effect").setEffect(HostOverride.Effect.EFFECT_UNSPECIFIED))
            .addOverrides(ok.toBuilder().setId("suffix").setHost("co.uk"))
            .addOverrides(ok.toBuilder().setId("bad-host").setHost("exa mple.org"))
            .build(),
        false);
    assertThat(registry.activeCount()).isEqualTo(1);
  }

  @Test
  void overridesComeFromAFileWhenThereIsNoApp() throws Exception {
    Path file = dir.resolve("overrides.json");
    try (RouterHarness h0 = RouterHarness.builder().tier(TierName.URL, urlTier()).build()) {
      long expires = h0.clock.millis() + 3_600_000; // the harness clock starts at a fixed instant
      Files.writeString(
          file,
          "{\"revision\":\"1\",\"overrides\":[{\"id\":\"f-1\",\"tenantId\":\"school-1\","
              + "\"host\":\"example.org\",\"effect\":\"EFFECT_BLOCK\",\"expiresAtMs\":\""
              + expires
              + "\","
              + "\"createdBy\":\"admin\"}]}");
    }
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier())
            .feedback(FeedbackSettings.none().withOverridesFile(file), null)
            .build()) {
      h.router().feedback().start();
      assertThat(h.classify(request("school-1", "https://example.org/")).getAction())
          .isEqualTo(Action.ACTION_BLOCK);
      assertThat(h.classify(request("school-2", "https://example.org/")).getAction())
          .isEqualTo(Action.ACTION_ALLOW);
    }
  }
}
