package dev.sieve.router;

import static dev.sieve.router.support.RouterHarness.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictCacheTest {

  private static FakeTier urlTier() {
    return new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("news", 0.9));
  }

  private static final String TENANTS =
      RouterHarness.TEST_POLICY + "tenants:\n  school-1: {}\n  school-2: {}\n";

  @Test
  void aRepeatedRequestIsACacheHitWithItsOwnRequestId() {
    FakeTier tier = urlTier();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, tier).build()) {
      ClassifyResponse first =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://News.example/a?b=1")
                  .setRequestId("one")
                  .build());
      ClassifyResponse second =
          h.classify(ClassifyRequest.newBuilder().setUrl("http://news.example:80/a?b=1#x").build());
      ClassifyResponse third =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://news.example/a?b=1")
                  .setRequestId("three")
                  .build());
      assertThat(first.getCacheHit()).isFalse();
      assertThat(second.getCacheHit()).as("different scheme: different canonical URL").isFalse();
      assertThat(third.getCacheHit()).isTrue();
      assertThat(third.getRequestId()).isEqualTo("three");
      assertThat(tier.calls()).isEqualTo(2);
      assertThat(third.toBuilder().setCacheHit(false).setRequestId("one").build()).isEqualTo(first);
    }
  }

  @Test
  void entriesExpireAfterTheirTtlAndHitsReportTheRemainingTtl() {
    FakeTier tier = urlTier();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, tier).build()) {
      ClassifyResponse first = h.classify(url("https://a.example/"));
      assertThat(first.getTtlSeconds()).as("negative verdict").isEqualTo(300);
      h.ticker.advance(Duration.ofSeconds(200));
      ClassifyResponse hit = h.classify(url("https://a.example/"));
      assertThat(hit.getCacheHit()).isTrue();
      assertThat(hit.getTtlSeconds()).isEqualTo(100);
      h.ticker.advance(Duration.ofSeconds(101));
      ClassifyResponse miss = h.classify(url("https://a.example/"));
      assertThat(miss.getCacheHit()).isFalse();
      assertThat(tier.calls()).isEqualTo(2);
    }
  }

  @Test
  void bypassCacheSkipsTheLookup() {
    FakeTier tier = urlTier();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, tier).build()) {
      h.classify(url("https://a.example/"));
      ClassifyResponse bypassed =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://a.example/")
                  .setBypassCache(true)
                  .build());
      assertThat(bypassed.getCacheHit()).isFalse();
      assertThat(tier.calls()).isEqualTo(2);
    }
  }

  @Test
  void theKeyCoversTenantBodyAndTiersFilterButUnknownTenantsShareTheDefault() {
    FakeTier tier = urlTier();
    FakeTier content = new FakeTier("content", Taxonomy.v1().ids());
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(TENANTS)
            .tier(TierName.URL, tier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyRequest base = ClassifyRequest.newBuilder().setUrl("https://a.example/").build();
      h.classify(base.toBuilder().setTenantId("school-1").build());
      assertThat(h.classify(base.toBuilder().setTenantId("school-1").build()).getCacheHit())
          .isTrue();
      assertThat(h.classify(base.toBuilder().setTenantId("school-2").build()).getCacheHit())
          .isFalse();
      assertThat(
              h.classify(base.toBuilder().setTenantId("school-1").addTiers("url").build())
                  .getCacheHit())
          .isFalse();
      assertThat(
              h.classify(
                      base.toBuilder()
                          .setTenantId("school-1")
                          .setText(ByteString.copyFromUtf8("a"))
                          .build())
                  .getCacheHit())
          .isFalse();
      assertThat(
              h.classify(
                      base.toBuilder()
                          .setTenantId("school-1")
                          .setText(ByteString.copyFromUtf8("b"))
                          .build())
                  .getCacheHit())
          .isFalse();
      assertThat(
              h.classify(
                      base.toBuilder()
                          .setTenantId("school-1")
                          .setText(ByteString.copyFromUtf8("a"))
                          .build())
                  .getCacheHit())
          .isTrue();

      ClassifyResponse global = h.classify(base);
      assertThat(global.getCacheHit()).isFalse();
      ClassifyResponse unknown = h.classify(base.toBuilder().setTenantId("who-knows").build());
      assertThat(unknown.getCacheHit()).isTrue();
      assertThat(unknown.getDefaultPolicyApplied()).isTrue();
      assertThat(unknown.getEffectiveTenant()).isEmpty();
      assertThat(h.classify(base).getDefaultPolicyApplied()).isFalse();
    }
  }

  @Test
  void degradedVerdictsAreNeverSharedThroughTheCache() {
    // #12 item 1: one request's outage must not become other requests' (other tenants') verdict.
    FakeTier tier = new FakeTier("url", Taxonomy.v1().ids()).fail(Status.UNAVAILABLE);
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, tier).build()) {
      ClassifyResponse degraded = h.classify(url("https://a.example/"));
      assertThat(degraded.getDegraded()).isTrue();
      assertThat(degraded.getTtlSeconds()).as("the caller may keep it briefly").isEqualTo(5);
      assertThat(h.classify(url("https://a.example/")).getCacheHit()).isFalse();
      assertThat(
              h.classify(url("https://a.example/").toBuilder().setTenantId("other").build())
                  .getCacheHit())
          .isFalse();
      assertThat(h.router().cache().estimatedSize()).isZero();
      assertThat(
              h.meters
                  .get("sieve.router.degraded")
                  .tag("reason", "tier_unavailable")
                  .counter()
                  .count())
          .isEqualTo(3);
      tier.answer(Map.of("news", 0.9));
      ClassifyResponse recovered = h.classify(url("https://a.example/"));
      assertThat(recovered.getCacheHit()).isFalse();
      assertThat(recovered.getDegraded()).isFalse();
      assertThat(recovered.getTtlSeconds()).isEqualTo(300);
      assertThat(h.classify(url("https://a.example/")).getCacheHit())
          .as("healthy verdicts are cached")
          .isTrue();
    }
  }

  @Test
  void metricsCountCacheResultsTierOutcomesAndVerdicts() {
    FakeTier tier = urlTier();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, tier).build()) {
      h.classify(url("https://a.example/"));
      h.classify(url("https://a.example/"));
      h.classify(
          ClassifyRequest.newBuilder().setUrl("https://a.example/").setBypassCache(true).build());
      var meters = h.meters;
      assertThat(meters.get("sieve.router.cache").tag("result", "miss").counter().count())
          .isEqualTo(1);
      assertThat(meters.get("sieve.router.cache").tag("result", "hit").counter().count())
          .isEqualTo(1);
      assertThat(meters.get("sieve.router.cache").tag("result", "bypass").counter().count())
          .isEqualTo(1);
      assertThat(
              meters
                  .get("sieve.router.tier.outcomes")
                  .tags("tier", "url", "state", "OK")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(
              meters
                  .get("sieve.router.tier.outcomes")
                  .tags("tier", "llm", "state", "NOT_DEPLOYED")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(meters.get("sieve.router.verdicts").tag("action", "ALLOW").counter().count())
          .isEqualTo(3);
      assertThat(
              meters
                  .get("sieve.router.breaker.state")
                  .tags("tier", "url", "state", "closed")
                  .gauge()
                  .value())
          .isOne();
      assertThat(
              meters
                  .get("sieve.router.breaker.state")
                  .tags("tier", "url", "state", "open")
                  .gauge()
                  .value())
          .isZero();
    }
  }

  @Test
  void aDisabledCacheNeverHits() {
    FakeTier tier = urlTier();
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, tier).cacheMaxBytes(0).build()) {
      h.classify(url("https://a.example/"));
      assertThat(h.classify(url("https://a.example/")).getCacheHit()).isFalse();
      assertThat(tier.calls()).isEqualTo(2);
    }
  }

  @Test
  void aPolicyReloadIsVisibleInResponsesAndRetiresCachedVerdicts(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "id: hot\nversion: '1'\n");
    FakeTier tier = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("games", 0.9));
    try (RouterHarness h =
        RouterHarness.builder().policyFile(file).tier(TierName.URL, tier).build()) {
      ClassifyResponse before = h.classify(url("https://g.example/"));
      assertThat(before.getPolicyVersion()).isEqualTo("1");
      assertThat(before.getAction()).isEqualTo(Action.ACTION_ALLOW);

      Files.writeString(file, "id: hot\nversion: '2'\ncategories: {games: {action: BLOCK}}\n");
      assertThat(h.router().policies().reloadIfChanged())
          .isEqualTo(PolicyStore.ReloadResult.RELOADED);
      ClassifyResponse after = h.classify(url("https://g.example/"));
      assertThat(after.getCacheHit()).isFalse();
      assertThat(after.getPolicyVersion()).isEqualTo("2");
      assertThat(after.getAction()).isEqualTo(Action.ACTION_BLOCK);

      Files.writeString(file, "id: hot\nversion: '3'\ncategories: {gamez: {action: ALLOW}}\n");
      assertThat(h.router().policies().reloadIfChanged())
          .isEqualTo(PolicyStore.ReloadResult.REJECTED);
      ClassifyResponse kept =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://g.example/")
                  .setBypassCache(true)
                  .build());
      assertThat(kept.getPolicyVersion()).as("last good policy stays active").isEqualTo("2");
      assertThat(kept.getAction()).isEqualTo(Action.ACTION_BLOCK);
    }
  }
}
