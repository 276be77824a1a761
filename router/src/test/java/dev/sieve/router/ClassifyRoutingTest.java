package dev.sieve.router;

import static dev.sieve.router.support.RouterHarness.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryAction;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ClassifyRoutingTest {

  private static final List<String> CORE = Taxonomy.v1().ids();

  private static FakeTier tier(String name) {
    return new FakeTier(name, CORE);
  }

  private static CategoryVerdict verdict(ClassifyResponse response, String category) {
    return response.getCategoriesList().stream()
        .filter(v -> v.getCategory().equals(category))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no verdict for " + category));
  }

  private static TierStatus status(ClassifyResponse response, String tier) {
    return response.getTiersList().stream()
        .filter(t -> t.getTier().equals(tier))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void urlOnlyRequestConsultsTheUrlTierAndReportsEveryCategoryAndEveryTier() {
    FakeTier urlTier = tier("url");
    urlTier.answer(
        ScoreResponse.newBuilder()
            .setTier("url")
            .setModel(urlTier.model())
            .addScores(FakeTier.listMatch("gambling", "casino.example", "ut1/gambling"))
            .addAllScores(urlTier.response(Map.of("adult", 0.1)).getScoresList())
            .build());
    FakeTier content = tier("content");
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r = h.classify(url("HTTPS://WWW.Casino.Example:443/slots?id=5#top"));

      assertThat(r.getCategoriesList())
          .extracting(CategoryVerdict::getCategory)
          .containsExactlyElementsOf(CORE);
      CategoryVerdict gambling = verdict(r, "gambling");
      assertThat(gambling.getScore()).isEqualTo(1.0);
      assertThat(gambling.getThreshold()).isEqualTo(0.5);
      assertThat(gambling.getDecision()).isTrue();
      assertThat(gambling.getAction()).isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
      assertThat(gambling.getTiersList()).containsExactly("url");
      assertThat(verdict(r, "adult").getScore()).isEqualTo(0.1);
      assertThat(verdict(r, "adult").getDecision()).isFalse();
      assertThat(verdict(r, "news").getTiersList()).isEmpty();
      assertThat(verdict(r, "news").getAction()).isEqualTo(CategoryAction.CATEGORY_ACTION_ALLOW);

      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getAlert()).isFalse();
      assertThat(r.getPrimaryCategory()).isEqualTo("gambling");
      assertThat(r.getReasonsList())
          .extracting(
              Reason::getCategory,
              Reason::getTier,
              x -> x.getEvidence().getKind(),
              x -> x.getEvidence().getDetail(),
              x -> x.getEvidence().getSource())
          .containsExactly(
              Tuple.tuple(
                  "gambling",
                  "url",
                  Evidence.Kind.KIND_LIST_MATCH,
                  "casino.example",
                  "ut1/gambling"));

      assertThat(r.getTiersList())
          .extracting(TierStatus::getTier)
          .containsExactly("url", "content", "llm");
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(status(r, "url").getModel().getName()).isEqualTo("url-model");
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(status(r, "content").getDetail()).isEqualTo("request has no html or text");
      assertThat(status(r, "llm").getState()).isEqualTo(TierState.TIER_STATE_NOT_DEPLOYED);

      assertThat(r.getPolicyId()).isEqualTo("test-policy");
      assertThat(r.getPolicyVersion()).isEqualTo("7");
      assertThat(r.getEffectiveTenant()).isEmpty();
      assertThat(r.getDefaultPolicyApplied()).isFalse();
      assertThat(r.getCacheHit()).isFalse();
      assertThat(r.getTtlSeconds()).isEqualTo(600);
      assertThat(r.getNormalizedUrl()).isEqualTo("https://www.casino.example/slots?id=5");
      assertThat(r.getDatasetVersionsList()).containsExactly("ds-2025-01");
      assertThat(UUID.fromString(r.getRequestId()).version()).isEqualTo(4);

      assertThat(content.calls()).isZero();
      ScoreRequest sent = urlTier.requests().getFirst();
      assertThat(sent.getUrl()).isEqualTo("HTTPS://WWW.Casino.Example:443/slots?id=5#top");
      assertThat(sent.getRequestId()).isEqualTo(r.getRequestId());
      assertThat(sent.getForced()).isFalse();
    }
  }

  @Test
  void bodyGoesToTheContentTierAndTheUrlTierGetsOnlyTheUrl() {
    FakeTier urlTier = tier("url").answer(Map.of("adult", 0.2));
    FakeTier content = tier("content").answer(Map.of("adult", 0.9));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://x.example/")
                  .setHtml(ByteString.copyFromUtf8("<p>hello</p>"))
                  .setTenantId("")
                  .setRequestId("req-1")
                  .build());
      assertThat(r.getRequestId()).isEqualTo("req-1");
      assertThat(verdict(r, "adult").getScore()).isEqualTo(0.9);
      assertThat(verdict(r, "adult").getTiersList()).containsExactly("url", "content");
      assertThat(content.requests().getFirst().getHtml().toStringUtf8()).isEqualTo("<p>hello</p>");
      assertThat(urlTier.requests().getFirst().getHtml()).isEmpty();
      assertThat(r.getReasonsList()).extracting(Reason::getTier).containsExactly("url", "content");
    }
  }

  @Test
  void textOnlyRequestSkipsTheUrlTier() {
    FakeTier urlTier = tier("url");
    FakeTier content = tier("content").answer(Map.of("violence", 0.3));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("some words")).build());
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(status(r, "url").getDetail()).isEqualTo("request has no url");
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(r.getNormalizedUrl()).isEmpty();
      assertThat(urlTier.calls()).isZero();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getTtlSeconds()).as("negative TTL").isEqualTo(300);
    }
  }

  @Test
  void tiersWithoutTargetAreReportedNotDeployedAndNeverFaked() {
    try (RouterHarness h = RouterHarness.builder().build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(r.getTiersList())
          .extracting(TierStatus::getState)
          .containsExactly(
              TierState.TIER_STATE_NOT_DEPLOYED,
              TierState.TIER_STATE_NOT_DEPLOYED,
              TierState.TIER_STATE_NOT_DEPLOYED);
      assertThat(r.getCategoriesList())
          .allSatisfy(
              v -> {
                assertThat(v.getScore()).isZero();
                assertThat(v.getDecision())
                    .as("not deployed is not 'unavailable': no fail-closed")
                    .isFalse();
                assertThat(v.getTiersList()).isEmpty();
              });
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
    }
  }

  @Test
  void tiersFilterConsultsOnlyTheNamedTiersForced() {
    FakeTier urlTier = tier("url").answer(Map.of("games", 0.9));
    FakeTier content = tier("content");
    FakeTier llm = tier("llm");
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .tier(TierName.LLM, llm)
            .build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://x.example/")
                  .setText(ByteString.copyFromUtf8("text"))
                  .addTiers("url")
                  .build());
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(status(r, "content").getDetail()).isEqualTo("not in the request's tiers filter");
      assertThat(status(r, "llm").getState()).isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(urlTier.requests().getFirst().getForced()).isTrue();
      assertThat(content.calls()).isZero();
      assertThat(llm.calls()).isZero();
    }
  }

  @Test
  void aNamedTierIsConsultedEvenWhenNormalRoutingWouldSkipIt() {
    FakeTier content = tier("content").answer(Map.of("news", 0.8));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.CONTENT, content).build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://x.example/")
                  .addTiers("content")
                  .build());
      assertThat(content.calls()).isEqualTo(1);
      assertThat(content.requests().getFirst().getForced()).isTrue();
      assertThat(status(r, "content").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(status(r, "url").getState()).isEqualTo(TierState.TIER_STATE_NOT_DEPLOYED);
    }
  }

  @Test
  void unknownTierNameIsInvalidArgument() {
    FakeTier urlTier = tier("url");
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      assertThatThrownBy(
              () ->
                  h.classify(
                      ClassifyRequest.newBuilder()
                          .setUrl("https://x.example/")
                          .addTiers("gpu")
                          .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("unknown tier 'gpu' in tiers; known tiers: url, content, llm");
              });
      assertThat(urlTier.calls()).isZero();
    }
  }

  @Test
  void llmIsNotConsultedForClearCases() {
    FakeTier urlTier = tier("url").answer(Map.of("gambling", 0.95, "adult", 0.02, "news", 0.7));
    FakeTier llm = tier("llm");
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, urlTier).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(llm.calls()).isZero();
      assertThat(status(r, "llm").getState()).isEqualTo(TierState.TIER_STATE_SKIPPED);
      assertThat(status(r, "llm").getDetail())
          .isEqualTo("no uncertain category and no emerging category");
      assertThat(status(r, "llm").getModel().getName())
          .as("lineage from Describe")
          .isEqualTo("llm-model");
    }
  }

  /**
   * defaults.llm_fills_gaps: false (an advisory llm tier) keeps a page's unscored core category
   * undecided.
   */
  @Test
  void anAdvisoryLlmTierFillsNoGapOnAPage() {
    FakeTier content = tier("content").answer(Map.of("hate", 0.1)).describes(FakeTier.ids("hate"));
    FakeTier llm =
        tier("llm")
            .answer(Map.of("adult", 0.9, "hate", 0.9))
            .describes(FakeTier.ids("adult", "hate", "ai_chatbots"));
    ClassifyRequest page =
        ClassifyRequest.newBuilder()
            .setUrl("https://x.example/")
            .setText(ByteString.copyFromUtf8("a page about marriage law"))
            .build();
    // The test policy fills gaps (the built-in default): the llm alone decides adult and blocks.
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.CONTENT, content).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r = h.classify(page);
      assertThat(verdict(r, "adult").getDecision()).as("the llm alone decided adult").isTrue();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
    }
    String advisory =
        RouterHarness.TEST_POLICY.replace(
            "uncertainty_margin: 0.1}", "uncertainty_margin: 0.1, llm_fills_gaps: false}");
    assertThat(advisory).contains("llm_fills_gaps: false");
    FakeTier llm2 =
        tier("llm")
            .answer(Map.of("adult", 0.9, "hate", 0.9))
            .describes(FakeTier.ids("adult", "hate", "ai_chatbots"));
    try (RouterHarness h =
        RouterHarness.builder()
            .tier(TierName.CONTENT, content)
            .tier(TierName.LLM, llm2)
            .policy(advisory)
            .build()) {
      ClassifyResponse r = h.classify(page);
      assertThat(llm2.requests())
          .allSatisfy(asked -> assertThat(asked.getCategoriesList()).doesNotContain("adult"));
      assertThat(verdict(r, "adult").getDecision()).isFalse();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
    }
  }

  @Test
  void llmIsConsultedOnlyForCategoriesInsideTheUncertaintyBand() {
    // test policy: threshold 0.5, margin 0.1 -> band [0.4, 0.6]
    FakeTier urlTier = tier("url").answer(Map.of("gambling", 0.55, "adult", 0.1, "hate", 0.41));
    FakeTier llm = tier("llm").answer(Map.of("gambling", 0.9, "adult", 0.9, "hate", 0.0));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, urlTier).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(llm.calls()).isEqualTo(1);
      ScoreRequest asked = llm.requests().getFirst();
      assertThat(asked.getCategoriesList())
          .as("a bare URL: no gap filling")
          .containsExactly("gambling", "hate");
      assertThat(asked.getForced()).isFalse();
      assertThat(verdict(r, "gambling").getScore()).isCloseTo(0.725, Offset.offset(1e-9));
      assertThat(verdict(r, "gambling").getDecision()).isTrue();
      assertThat(verdict(r, "gambling").getTiersList()).containsExactly("url", "llm");
      assertThat(verdict(r, "hate").getScore()).isCloseTo(0.205, Offset.offset(1e-9));
      assertThat(verdict(r, "hate").getDecision()).as("pulled down").isFalse();
      assertThat(verdict(r, "adult").getScore())
          .as("clear: llm opinion not asked, not used")
          .isEqualTo(0.1);
      assertThat(status(r, "llm").getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
    }
  }

  @Test
  void aConsultedLlmAlsoFillsCoreCategoriesNoPrimaryTierScoredOnAPage() {
    // test policy band [0.4, 0.6]: hate is uncertain, so the llm is consulted; weapons has no
    // primary opinion (the content model does not serve it) and the llm covers it: asked too.
    FakeTier content =
        new FakeTier("content", FakeTier.ids("hate", "adult"))
            .answer(Map.of("hate", 0.45, "adult", 0.1));
    FakeTier llm =
        new FakeTier("llm", FakeTier.ids("hate", "weapons", "adult"))
            .answer(Map.of("hate", 0.2, "weapons", 0.8));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.CONTENT, content).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setText(ByteString.copyFromUtf8("build a rifle suppressor at home"))
                  .build());
      assertThat(llm.requests().getFirst().getCategoriesList()).containsExactly("hate", "weapons");
      assertThat(verdict(r, "weapons").getScore()).isEqualTo(0.8);
      assertThat(verdict(r, "weapons").getTiersList()).containsExactly("llm");
      assertThat(verdict(r, "weapons").getDecision()).isTrue();
      assertThat(verdict(r, "adult").getTiersList())
          .as("clear primary opinion: not asked")
          .containsExactly("content");
    }
  }

  @Test
  void llmNamedInTheTiersFilterIsAlwaysCalledForEverything() {
    FakeTier urlTier = tier("url").answer(Map.of("gambling", 0.95));
    FakeTier llm = tier("llm").answer(Map.of("gambling", 0.1, "news", 0.8));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.URL, urlTier).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://x.example/")
                  .addTiers("url")
                  .addTiers("llm")
                  .build());
      assertThat(llm.calls()).isEqualTo(1);
      assertThat(llm.requests().getFirst().getForced()).isTrue();
      assertThat(llm.requests().getFirst().getCategoriesList()).isEmpty();
      assertThat(verdict(r, "gambling").getScore()).isCloseTo(0.525, Offset.offset(1e-9));
      assertThat(verdict(r, "news").getScore()).isEqualTo(0.8);
      assertThat(verdict(r, "news").getTiersList()).containsExactly("llm");
    }
  }

  @Test
  void emergingCategoriesAreAskedOfTheLlmAndListedAfterTheTaxonomyAsZeroShot() {
    FakeTier urlTier = tier("url").answer(Map.of("gambling", 0.01));
    FakeTier llm = new FakeTier("llm", FakeTier.ids("gambling", "ai_homework_tools"));
    llm.answer(
        ScoreResponse.newBuilder()
            .addScores(
                CategoryScore.newBuilder()
                    .setCategory("ai_homework_tools")
                    .setScore(0.9)
                    .setZeroShot(true)
                    .addEvidence(
                        Evidence.newBuilder()
                            .setKind(Evidence.Kind.KIND_ZERO_SHOT)
                            .setDetail("essay writer")))
            .build());
    String policy =
        RouterHarness.TEST_POLICY
            + "emerging: {categories: {ai_homework_tools: {threshold: 0.8, action: BLOCK}}}\n";
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(policy)
            .tier(TierName.URL, urlTier)
            .tier(TierName.LLM, llm)
            .build()) {
      ClassifyResponse r = h.classify(url("https://essays.example/"));
      assertThat(llm.requests().getFirst().getCategoriesList())
          .containsExactly("ai_homework_tools");
      assertThat(r.getCategoriesCount()).isEqualTo(CORE.size() + 1);
      CategoryVerdict emerging = r.getCategories(CORE.size());
      assertThat(emerging.getCategory()).isEqualTo("ai_homework_tools");
      assertThat(emerging.getZeroShot()).isTrue();
      assertThat(emerging.getScore()).isEqualTo(0.9);
      assertThat(emerging.getThreshold()).isEqualTo(0.8);
      assertThat(emerging.getDecision()).isTrue();
      assertThat(emerging.getTiersList()).containsExactly("llm");
      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getPrimaryCategory()).isEqualTo("ai_homework_tools");
      assertThat(r.getReasonsList())
          .extracting(x -> x.getEvidence().getKind())
          .containsExactly(Evidence.Kind.KIND_ZERO_SHOT);
    }
  }

  @Test
  void emergingCategoriesAreAskedForPagesToo() {
    FakeTier content = new FakeTier("content", FakeTier.ids("hate")).answer(Map.of("hate", 0.01));
    FakeTier llm =
        new FakeTier("llm", FakeTier.ids("hate", "ai_homework_tools"))
            .answer(Map.of("ai_homework_tools", 0.9));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.CONTENT, content).tier(TierName.LLM, llm).build()) {
      ClassifyResponse r =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setText(ByteString.copyFromUtf8("Ask our AI to write your essay"))
                  .build());
      assertThat(status(r, "llm").getState())
          .as(status(r, "llm").getDetail())
          .isEqualTo(TierState.TIER_STATE_OK);
      assertThat(llm.requests().getFirst().getCategoriesList()).contains("ai_homework_tools");
    }
  }

  @Test
  void emergingCategoriesAreNotAskedWhenThePolicyTurnsThemOff() {
    FakeTier urlTier = tier("url").answer(Map.of("gambling", 0.01));
    FakeTier llm = new FakeTier("llm", FakeTier.ids("ai_homework_tools"));
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(RouterHarness.TEST_POLICY + "emerging: {consult_llm: false}\n")
            .tier(TierName.URL, urlTier)
            .tier(TierName.LLM, llm)
            .build()) {
      ClassifyResponse r = h.classify(url("https://essays.example/"));
      assertThat(llm.calls()).isZero();
      assertThat(r.getCategoriesCount()).isEqualTo(CORE.size());
    }
  }

  private static final String TENANTS =
      RouterHarness.TEST_POLICY
          + """
          categories: {games: {threshold: 0.9, action: ALLOW}}
          tenants:
            district-1: {categories: {games: {threshold: 0.6, action: BLOCK}}}
            school-1: {parent: district-1, categories: {games: {threshold: 0.3}}}
            group-1: {parent: school-1}
          """;

  @Test
  void unknownTenantGetsTheDefaultPolicyAndTheResponseSaysSo() {
    FakeTier urlTier = tier("url").answer(Map.of("games", 0.7));
    try (RouterHarness h =
        RouterHarness.builder().policy(TENANTS).tier(TierName.URL, urlTier).build()) {
      ClassifyResponse unknown =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://g.example/")
                  .setTenantId("nobody")
                  .build());
      assertThat(unknown.getDefaultPolicyApplied()).isTrue();
      assertThat(unknown.getEffectiveTenant()).isEmpty();
      assertThat(verdict(unknown, "games").getDecision()).as("global threshold 0.9").isFalse();
      assertThat(unknown.getAction()).isEqualTo(Action.ACTION_ALLOW);

      ClassifyResponse district =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://g.example/")
                  .setTenantId("district-1")
                  .build());
      assertThat(district.getDefaultPolicyApplied()).isFalse();
      assertThat(district.getEffectiveTenant()).isEqualTo("district-1");
      assertThat(verdict(district, "games").getThreshold()).isEqualTo(0.6);
      assertThat(district.getAction()).isEqualTo(Action.ACTION_BLOCK);
    }
  }

  @Test
  void tenantLayeringAppliesThroughTheRouter() {
    FakeTier urlTier = tier("url").answer(Map.of("games", 0.4));
    try (RouterHarness h =
        RouterHarness.builder().policy(TENANTS).tier(TierName.URL, urlTier).build()) {
      ClassifyResponse group =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://g.example/")
                  .setTenantId("group-1")
                  .build());
      CategoryVerdict games = verdict(group, "games");
      assertThat(games.getThreshold()).as("school's threshold").isEqualTo(0.3);
      assertThat(games.getAction())
          .as("district's action")
          .isEqualTo(CategoryAction.CATEGORY_ACTION_BLOCK);
      assertThat(games.getDecision()).isTrue();
      assertThat(group.getEffectiveTenant()).isEqualTo("group-1");
      assertThat(group.getAction()).isEqualTo(Action.ACTION_BLOCK);
      ClassifyResponse district =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://g.example/")
                  .setTenantId("district-1")
                  .build());
      assertThat(district.getAction()).isEqualTo(Action.ACTION_ALLOW);
    }
  }

  @Test
  void denyAndAllowOverridesSetTheActionAndSayWhy() {
    FakeTier urlTier =
        tier("url")
            .behave(
                request ->
                    new FakeTier.Answer(
                        request.getUrl().contains("casino")
                            ? new FakeTier("url", CORE).response(Map.of("gambling", 0.99))
                            : new FakeTier("url", CORE).response(Map.of("education", 0.9))));
    String policy =
        RouterHarness.TEST_POLICY
            + """
            overrides: {deny: [blocked.example]}
            tenants:
              school-1: {overrides: {allow: [casino.example]}}
            """;
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.URL, urlTier).build()) {
      ClassifyResponse denied = h.classify(url("https://www.blocked.example/page"));
      assertThat(denied.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(denied.getPrimaryCategory()).as("decided but non-blocking").isEqualTo("education");
      assertThat(denied.getReasonsList())
          .anySatisfy(
              reason -> {
                assertThat(reason.getTier()).isEqualTo("policy");
                assertThat(reason.getEvidence().getKind()).isEqualTo(Evidence.Kind.KIND_RULE);
                assertThat(reason.getEvidence().getDetail())
                    .isEqualTo("deny override: blocked.example (global)");
              });

      ClassifyResponse allowed =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setUrl("https://casino.example/")
                  .setTenantId("school-1")
                  .build());
      assertThat(allowed.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(verdict(allowed, "gambling").getDecision()).as("scores stay truthful").isTrue();
      assertThat(allowed.getReasonsList())
          .extracting(x -> x.getEvidence().getDetail())
          .contains("allow override: casino.example (school-1)");

      ClassifyResponse elsewhere = h.classify(url("https://casino.example/"));
      assertThat(elsewhere.getAction()).isEqualTo(Action.ACTION_BLOCK);
    }
  }

  @Test
  void selfHarmRaisesTheAlertAndBlocksUnlessThePolicySaysOtherwise() {
    FakeTier content = tier("content").answer(Map.of("self_harm", 0.8, "violence", 0.6));
    ClassifyRequest request =
        ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("...")).build();
    try (RouterHarness h = RouterHarness.builder().tier(TierName.CONTENT, content).build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(r.getAlert()).isTrue();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getPrimaryCategory()).isEqualTo("self_harm");
      assertThat(verdict(r, "self_harm").getAction())
          .isEqualTo(CategoryAction.CATEGORY_ACTION_ALERT);
    }
    try (RouterHarness h =
        RouterHarness.builder()
            .policy(
                RouterHarness.TEST_POLICY
                    + "block_on_alert: false\ncategories: {violence: {action: ALLOW}}\n")
            .tier(TierName.CONTENT, content)
            .build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(r.getAlert()).isTrue();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getPrimaryCategory())
          .as("highest decided when none blocks")
          .isEqualTo("self_harm");
    }
  }

  /**
   * docs/policy.md yields_to: the harmful category is reported and alerts, the help is not blocked.
   */
  @Test
  void helpIsNeverBlockedWhenTheHarmfulCategoryYieldsToADecidedHelpCategory() {
    String policy =
        RouterHarness.TEST_POLICY
            + """
        categories:
          self_harm: {action: ALERT, yields_to: [self_harm_help]}
          self_harm_help: {action: ALLOW, alert: true}
          adult: {action: BLOCK, yields_to: [sex_education]}
        """;
    ClassifyRequest request =
        ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("...")).build();
    FakeTier hotline = tier("content").answer(Map.of("self_harm", 0.7, "self_harm_help", 0.9));
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.CONTENT, hotline).build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(verdict(r, "self_harm").getDecision()).as("still reported").isTrue();
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getAlert()).as("the counsellor still hears about it").isTrue();
      assertThat(verdict(r, "self_harm_help").getAlert()).isTrue();
      assertThat(r.getReasonsList())
          .extracting(x -> x.getEvidence().getDetail())
          .anyMatch(d -> d.startsWith("yields to self_harm_help"));
    }
    FakeTier proAna = tier("content").answer(Map.of("self_harm", 0.95, "self_harm_help", 0.6));
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.CONTENT, proAna).build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(r.getAction())
          .as("help score below the harm score: no yield")
          .isEqualTo(Action.ACTION_BLOCK);
      assertThat(r.getPrimaryCategory()).isEqualTo("self_harm");
    }
    FakeTier sexEd = tier("content").answer(Map.of("adult", 0.6, "sex_education", 0.8));
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.CONTENT, sexEd).build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getAlert()).isFalse();
    }
    FakeTier helpAlone = tier("content").answer(Map.of("self_harm_help", 0.8));
    try (RouterHarness h =
        RouterHarness.builder().policy(policy).tier(TierName.CONTENT, helpAlone).build()) {
      ClassifyResponse r = h.classify(request);
      assertThat(r.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(r.getAlert()).as("self_harm_help alerts without blocking").isTrue();
    }
  }

  @Test
  void primaryCategoryPrefersBlockingCategoriesOverHigherNonBlockingOnes() {
    FakeTier urlTier = tier("url").answer(Map.of("games", 0.99, "gambling", 0.7, "piracy", 0.65));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, urlTier).build()) {
      ClassifyResponse r = h.classify(url("https://x.example/"));
      assertThat(r.getPrimaryCategory()).isEqualTo("gambling");
    }
  }
}
