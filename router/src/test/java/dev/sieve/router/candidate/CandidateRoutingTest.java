package dev.sieve.router.candidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierName;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A candidate version of the url tier beside the serving one: the shadow is compared and never
 * served, the canary is served to its share and named in the tier status, the comparison is bounded
 * (dropped and counted), and the disagreement file holds the host and the scores only.
 */
class CandidateRoutingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static FakeTier serving() {
    return new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.9, "news", 0.3));
  }

  /** The candidate: same tier, version 2.0.0, gambling no longer decided, news a little higher. */
  private static FakeTier candidate() {
    FakeTier fake = new FakeTier("url", Taxonomy.v1().ids());
    ScoreResponse answer =
        fake.response(Map.of("gambling", 0.2, "news", 0.35)).toBuilder()
            .setModel(ModelInfo.newBuilder().setName("url-model").setVersion("2.0.0"))
            .build();
    return fake.answer(answer);
  }

  private static ClassifyRequest request(String url, String tenant) {
    return ClassifyRequest.newBuilder().setUrl(url).setTenantId(tenant).build();
  }

  @Test
  void shadowIsComparedOffThePathAndNeverServed() throws Exception {
    Path log = dir.resolve("shadow.jsonl");
    FakeTier candidate = candidate();
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, serving())
            .candidate(candidate, CandidateSettings.shadow(TierName.URL, "in-process", 1.0, log))
            .build()) {
      ClassifyResponse response =
          h.classify(request("https://casino.example/student/jane.doe?id=42", "district-1"));

      assertThat(score(response, "gambling")).isEqualTo(0.9);
      TierStatus url = status(response, "url");
      assertThat(url.getModel().getVersion()).isEqualTo("1.0.0");
      assertThat(url.getDetail()).doesNotContain("canary");
      await(() -> candidate.calls() == 1);
      await(
          () ->
              counter(
                      h,
                      "sieve_router_candidate_comparisons_total{mode=\"shadow\",result=\"compared\",tier=\"url\"}")
                  == 1);
      assertThat(
              counter(
                  h,
                  "sieve_router_candidate_flips_total{category=\"gambling\",direction=\"serving_only\",tier=\"url\"}"))
          .isEqualTo(1);
      h.router().close(); // flushes the file
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).hasSize(1);
      JsonNode line = JSON.readTree(lines.get(0));
      assertThat(line.get("host").asText()).isEqualTo("casino.example");
      assertThat(lines.get(0))
          .doesNotContain("jane")
          .doesNotContain("district-1")
          .doesNotContain("id=42");
      assertThat(line.get("flips").get(0).asText()).isEqualTo("gambling");
      assertThat(line.get("serving").get("gambling").asDouble()).isEqualTo(0.9);
      assertThat(line.get("candidate").get("gambling").asDouble()).isEqualTo(0.2);
      assertThat(line.get("candidate_model").asText()).isEqualTo("url-model@2.0.0");
      assertThat(line.get("served_by").asText()).isEqualTo("serving");
      assertThat(line.get("log_p").asDouble()).isEqualTo(1.0);
    }
  }

  @Test
  void aHangingShadowIsBoundedDroppedAndCounted() {
    FakeTier candidate = candidate().hang();
    CandidateSettings one =
        new CandidateSettings(
            TierName.URL,
            "in-process",
            CandidateSettings.Mode.SHADOW,
            1.0,
            0,
            CandidateSettings.Unit.TENANT,
            1,
            null,
            0.1,
            0.02);
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, serving()).candidate(candidate, one).build()) {
      // Both requests are answered by the serving version while the first comparison still hangs.
      assertThat(score(h.classify(request("https://a.example/", "t")), "gambling")).isEqualTo(0.9);
      await(() -> candidate.calls() == 1);
      assertThat(score(h.classify(request("https://b.example/", "t")), "gambling")).isEqualTo(0.9);
      assertThat(candidate.calls()).isEqualTo(1);
      assertThat(
              counter(
                  h,
                  "sieve_router_candidate_comparisons_total{mode=\"shadow\",result=\"dropped\",tier=\"url\"}"))
          .isEqualTo(1);
    }
  }

  @Test
  void aCanaryTenantIsServedByTheCandidateNamedInTheTierStatus() {
    Path log = dir.resolve("canary.jsonl");
    FakeTier serving = serving();
    FakeTier candidate = candidate();
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, serving)
            .candidate(
                candidate,
                CandidateSettings.canary(
                    TierName.URL, "in-process", 1.0, CandidateSettings.Unit.TENANT, 1.0, log))
            .build()) {
      ClassifyResponse response = h.classify(request("https://casino.example/", "district-1"));
      assertThat(score(response, "gambling")).isEqualTo(0.2);
      TierStatus url = status(response, "url");
      assertThat(url.getModel().getVersion()).isEqualTo("2.0.0");
      assertThat(url.getDetail()).isEqualTo("canary candidate");
      // the serving version is the one compared, off the path
      await(() -> serving.calls() == 1);
      await(
          () ->
              counter(
                      h,
                      "sieve_router_candidate_flips_total{category=\"gambling\",direction=\"serving_only\",tier=\"url\"}")
                  == 1);
      assertThat(counter(h, "sieve_router_candidate_canary_total{tier=\"url\"}")).isEqualTo(1);
    }
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, serving())
            .candidate(
                candidate(),
                CandidateSettings.canary(
                    TierName.URL, "in-process", 0.0, CandidateSettings.Unit.TENANT, 0.0, null))
            .build()) {
      ClassifyResponse response = h.classify(request("https://casino.example/", "district-1"));
      assertThat(status(response, "url").getModel().getVersion()).isEqualTo("1.0.0");
    }
  }

  @Test
  void aPerRequestCanaryVerdictStaysOutOfTheSharedCache() {
    FakeTier candidate = candidate();
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, serving())
            .candidate(
                candidate,
                CandidateSettings.canary(
                    TierName.URL, "in-process", 1.0, CandidateSettings.Unit.REQUEST, 0.0, null))
            .build()) {
      h.classify(request("https://casino.example/", "t"));
      ClassifyResponse second = h.classify(request("https://casino.example/", "t"));
      assertThat(second.getCacheHit()).isFalse();
      assertThat(candidate.calls()).isEqualTo(2);
    }
  }

  @Test
  void theTenantShareIsStableAndNearItsNominalValue() {
    CandidateRouting routing =
        new CandidateRouting(
            CandidateSettings.canary(
                TierName.URL, "x", 0.3, CandidateSettings.Unit.TENANT, 0, null),
            new TierClient(
                TierName.URL,
                InProcessChannelBuilder.forName("unused").build(),
                ResilienceSettings.defaults(TierName.URL),
                Duration.ofMillis(5)),
            new SimpleMeterRegistry());
    int in = 0;
    for (int i = 0; i < 10_000; i++) {
      boolean first = routing.inTenantShare("tenant-" + i);
      assertThat(routing.inTenantShare("tenant-" + i)).isEqualTo(first);
      in += first ? 1 : 0;
    }
    assertThat(in).isBetween(2800, 3200); // binomial sd ~46
  }

  @Test
  void settingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> CandidateSettings.shadow(TierName.URL, "x", 1.5, null))
        .hasMessageContaining("SIEVE_CANDIDATE_SAMPLE");
    assertThatThrownBy(() -> CandidateSettings.shadow(TierName.URL, " ", 0.5, null))
        .hasMessageContaining("SIEVE_CANDIDATE_TARGET");
  }

  private static double score(ClassifyResponse response, String category) {
    return response.getCategoriesList().stream()
        .filter(c -> c.getCategory().equals(category))
        .findFirst()
        .orElseThrow()
        .getScore();
  }

  private static TierStatus status(ClassifyResponse response, String tier) {
    return response.getTiersList().stream()
        .filter(t -> t.getTier().equals(tier))
        .findFirst()
        .orElseThrow();
  }

  private static double counter(RouterHarness h, String series) {
    for (String line : h.meters.scrape().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  private static void await(BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
