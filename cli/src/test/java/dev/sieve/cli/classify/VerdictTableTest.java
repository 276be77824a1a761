package dev.sieve.cli.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryAction;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The verdict as a person reads it: one line per fact, nothing wider than 100 columns. */
class VerdictTableTest {

  /** What the real fleet answered for pokerstars.com (models and datasets of this repository). */
  private static ClassifyResponse fleetLikeResponse() {
    return ClassifyResponse.newBuilder()
        .setAction(Action.ACTION_BLOCK)
        .setPrimaryCategory("gambling")
        .setPolicyId("k12-default")
        .setPolicyVersion("1")
        .setTtlSeconds(3600)
        .setRequestId("fcd76cfd-7f15-41f8-9750-a0117935119b")
        .setNormalizedUrl("https://www.pokerstars.com/")
        .addDatasetVersions("table=ds-1a0071be7453;model=ds-d0c31329cb3e")
        .addDatasetVersions("ds-1a0071be7453")
        .addDatasetVersions("ds-d0c31329cb3e")
        .addCategories(
            CategoryVerdict.newBuilder()
                .setCategory("gambling")
                .setScore(1.0)
                .setThreshold(0.5)
                .setDecision(true)
                .setAction(CategoryAction.CATEGORY_ACTION_BLOCK)
                .addTiers("url"))
        .addReasons(
            Reason.newBuilder()
                .setCategory("gambling")
                .setTier("url")
                .setEvidence(
                    Evidence.newBuilder()
                        .setKind(Evidence.Kind.KIND_LIST_MATCH)
                        .setDetail("pokerstars.com")
                        .setSource("ut1/gambling")))
        .addReasons(
            Reason.newBuilder()
                .setCategory("games")
                .setTier("url")
                .setEvidence(
                    Evidence.newBuilder()
                        .setKind(Evidence.Kind.KIND_FEATURE)
                        .setDetail("char n-gram \"pok\"")
                        .setWeight(0.697)
                        .setSource("url-lexical/v1-762b094c1355")))
        .addReasons(Reason.newBuilder().setCategory("self_harm").setTier("content"))
        .addTiers(
            TierStatus.newBuilder()
                .setTier("url")
                .setState(TierState.TIER_STATE_OK)
                .setLatencyMicros(24_650)
                .setModel(
                    ModelInfo.newBuilder()
                        .setName("url-table+url-lexical")
                        .setVersion("ds-1a0071be7453+v1-762b094c1355")
                        .setDatasetVersion("table=ds-1a0071be7453;model=ds-d0c31329cb3e")))
        .addTiers(
            TierStatus.newBuilder()
                .setTier("content")
                .setState(TierState.TIER_STATE_OK)
                .setLatencyMicros(41_010)
                .setModel(
                    ModelInfo.newBuilder()
                        .setName("content-minilm-mlp")
                        .setVersion("20261125-8224cdad")
                        .setDatasetVersion("ds-1a0071be7453")))
        .addTiers(
            TierStatus.newBuilder()
                .setTier("llm")
                .setState(TierState.TIER_STATE_TIMEOUT)
                .setModel(
                    ModelInfo.newBuilder()
                        .setName("llm-zero-shot")
                        .setVersion("zs-59265523dc95")
                        .setDatasetVersion("ds-d0c31329cb3e"))
                .setDetail(
                    "deadline exceeded after 150 ms while waiting for the zero-shot backend; the router"
                        + " treated the tier as unavailable for this request and applied the fail-closed policy"))
        .build();
  }

  private static String render(ClassifyResponse response) {
    StringWriter text = new StringWriter();
    VerdictTable.render("https://www.pokerstars.com/", response, false, new PrintWriter(text));
    return text.toString();
  }

  @Test
  void everyLineFitsAHundredColumnTerminal() {
    String text = render(fleetLikeResponse());

    assertThat(text.lines())
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
    assertThat(text.lines())
        .allSatisfy(line -> assertThat(line).as("no trailing blanks").doesNotEndWith(" "));
    assertThat(text)
        .containsPattern(
            "\\n  url\\s+OK\\s+24\\.65 ms  url-table\\+url-lexical ds-1a0071be7453\\+v1-762b094c1355\\n")
        .containsPattern(
            "\\n  content\\s+OK\\s+41\\.01 ms  content-minilm-mlp 20261125-8224cdad\\n")
        // a long detail wraps under the tier instead of running off the screen
        .containsPattern(
            "\\n  llm\\s+TIMEOUT\\s+-  llm-zero-shot zs-59265523dc95\\n {11}deadline exceeded after 150 ms")
        .contains("[url-lexical/v1-762b094c1355]");
  }

  @Test
  void datasetsSayWhichTierUsedWhichVersion() {
    String text = render(fleetLikeResponse());

    // The timed-out llm tier answered nothing: its dataset is listed (the router reported it) but
    // not attributed to it.
    assertThat(text)
        .contains("Datasets   ds-1a0071be7453 (url table, content), ds-d0c31329cb3e (url model)\n");
    assertThat(text).doesNotContain("table=", "model=ds");
  }

  @Test
  void aReasonWithoutEvidenceSaysSoInsteadOfKindUnspecified() {
    String text = render(fleetLikeResponse());

    assertThat(text)
        .doesNotContain("KIND_UNSPECIFIED")
        .containsPattern("self_harm\\s+content\\s+\\(the tier reported no evidence\\)");
    assertThat(VerdictTable.evidence(Evidence.newBuilder().setDetail("matched rule x").build()))
        .isEqualTo("matched rule x");
  }

  /**
   * What the router answers for pokerstars.com while the url tier's breaker is open (default
   * policy).
   */
  private static ClassifyResponse urlTierLostResponse() {
    return ClassifyResponse.newBuilder()
        .setAction(Action.ACTION_BLOCK)
        .setPrimaryCategory("adult")
        .setTtlSeconds(10)
        .setDegraded(true)
        .addDegradedReasons(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE)
        .addReasons(
            Reason.newBuilder()
                .setCategory("adult")
                .setTier("policy")
                .setEvidence(Evidence.newBuilder().setDetail("fail-closed: url CIRCUIT_OPEN")))
        .addTiers(
            TierStatus.newBuilder()
                .setTier("url")
                .setState(TierState.TIER_STATE_CIRCUIT_OPEN)
                .setDetail("circuit breaker open"))
        .addTiers(
            TierStatus.newBuilder().setTier("content").setState(TierState.TIER_STATE_NOT_DEPLOYED))
        .build();
  }

  @Test
  void aDegradedVerdictSaysSoUnderTheDecisionAndNamesTheMissingTier() {
    String text = render(urlTierLostResponse());

    assertThat(text)
        .contains(
            "Action     BLOCK   alert: no   primary category: adult\nDegraded   YES: tier unavailable (url CIRCUIT_OPEN); decided")
        // wrapped under its column, like every long line
        .contains(
            "decided without every tier it needed, not\n           cached by the router\nPolicy ");
    assertThat(text.lines())
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
    assertThat(render(fleetLikeResponse()))
        .as("a healthy verdict has no Degraded line")
        .doesNotContain("Degraded");
  }

  @Test
  void aPartialAnswerBlamesTheCallersDeadlineNotTheTier() {
    ClassifyResponse partial =
        ClassifyResponse.newBuilder()
            .setAction(Action.ACTION_ALLOW)
            .setDegraded(true)
            .addDegradedReasons(DegradedReason.DEGRADED_REASON_CALLER_DEADLINE)
            .addTiers(TierStatus.newBuilder().setTier("url").setState(TierState.TIER_STATE_OK))
            .addTiers(
                TierStatus.newBuilder()
                    .setTier("content")
                    .setState(TierState.TIER_STATE_TIMEOUT)
                    .setDetail("caller deadline: DEADLINE_EXCEEDED: deadline exceeded after 0.04s"))
            .addTiers(
                TierStatus.newBuilder()
                    .setTier("llm")
                    .setState(TierState.TIER_STATE_CIRCUIT_OPEN)
                    .setDetail("circuit breaker open"))
            .build();

    assertThat(VerdictTable.degraded(partial))
        .isEqualTo(
            "YES: caller deadline too short for a tier (content TIMEOUT); decided without every tier it"
                + " needed, not cached by the router");
    assertThat(
            VerdictTable.degraded(
                partial.toBuilder()
                    .addDegradedReasons(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE)
                    .build()))
        .startsWith(
            "YES: caller deadline too short for a tier (content TIMEOUT), tier unavailable (llm CIRCUIT_OPEN);");
    assertThat(VerdictTable.degraded(partial.toBuilder().clearDegradedReasons().build()))
        .startsWith("YES: the router gave no reason;");
  }

  @Test
  void wrapBreaksAtSpacesAndIndentsContinuations() {
    String wrapped = VerdictTable.wrap("x".repeat(60) + " " + "y".repeat(60), 4);

    assertThat(wrapped)
        .isEqualTo(
            "x".repeat(60)
                + System.lineSeparator()
                + "    "
                + "y".repeat(60)
                + System.lineSeparator());
    assertThat(VerdictTable.wrap("z".repeat(150), 2).lines())
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }
}
