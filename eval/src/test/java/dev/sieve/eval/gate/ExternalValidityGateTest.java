package dev.sieve.eval.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.eval.CardFixture;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.LeaveOneSourceOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release gate's v2 checks on cards written by the real generator: ordinary inputs flagged per
 * category (pooled, and per source and input kind when large enough), false alerts, protected
 * slices against ordinary inputs, and leave-one-source-out. Each failing card differs from a
 * passing one in the one number the check is about, and the failure names category, group, rate and
 * ceiling.
 */
class ExternalValidityGateTest {

  static final String DATASET = "ds-v2-gate";
  static final List<String> TEXTS = List.of("texts", "pages");
  static final Set<String> ADULT = Set.of("adult");
  static final Set<String> NONE = Set.of();

  @TempDir Path home;
  private int versions;

  @BeforeEach
  void repository() throws Exception {
    Fixtures.dataset(home, DATASET);
    Files.writeString(home.resolve(EvaluationPolicy.FILE), CardFixture.V2_POLICY);
  }

  /**
   * 60 adult positives (all caught) and 1,000 textbook passages, 30 of them sex education (a
   * protected slice), {@code sexEdFlagged} of those flagged adult.
   */
  static CardFixture base(int sexEdFlagged) {
    return new CardFixture("adult", "self_harm", "self_harm_help")
        .add(60, "text", "reddit/nsfw", false, List.of("adult"), List.of(), ADULT)
        .add(970, "text", "ordinary/openstax", true, List.of(), List.of(), NONE)
        .add(
            30 - sexEdFlagged,
            "text",
            "ordinary/openstax",
            true,
            List.of("sex_education"),
            List.of("sex_education"),
            NONE)
        .add(
            sexEdFlagged,
            "text",
            "ordinary/openstax",
            true,
            List.of("sex_education"),
            List.of("sex_education"),
            ADULT);
  }

  static LeaveOneSourceOut.FoldCategory recall(String category, int positives, int caught) {
    return new LeaveOneSourceOut.FoldCategory(
        category,
        positives,
        0,
        0.5,
        Estimate.of((double) caught / positives, Wilson.interval(caught, positives)),
        0.95,
        null,
        null);
  }

  static LeaveOneSourceOut.FoldCategory flagged(String category, int ordinary, int flagged) {
    return new LeaveOneSourceOut.FoldCategory(
        category,
        0,
        ordinary,
        0.5,
        null,
        null,
        Estimate.of((double) flagged / ordinary, Wilson.interval(flagged, ordinary)),
        0.001);
  }

  static LeaveOneSourceOut loso(LeaveOneSourceOut.Fold... folds) {
    return new LeaveOneSourceOut("fixture folds", DATASET, List.of(folds));
  }

  static final LeaveOneSourceOut GOOD_LOSO =
      loso(
          new LeaveOneSourceOut.Fold("reddit/nsfw", 40, List.of(recall("adult", 40, 32))),
          new LeaveOneSourceOut.Fold("hate/sbic", 200, List.of(flagged("adult", 200, 1))));

  private GateReport gate(CardFixture fx, LeaveOneSourceOut loso, List<String> inputs) {
    Path dir = CardFixture.modelDir(home, "text-v2", "v" + (++versions));
    if (loso != null) {
      loso.write(dir.resolve(LeaveOneSourceOut.FILE));
    }
    ModelCard card =
        fx.card(dir, "text-v2", "content", inputs, List.of("weights.bin"), DATASET, false);
    // The card carries the report it found next to the model (numbers rounded like every card
    // number).
    assertThat(card.leaveOneSourceOut() == null ? null : card.leaveOneSourceOut().folds().size())
        .isEqualTo(loso == null ? null : loso.folds().size());
    return ReleaseGate.check(dir, home, EvaluationPolicy.resolve(null, home));
  }

  private static List<String> failures(GateReport report) {
    return report.findings().stream()
        .filter(f -> f.level() == GateReport.Level.FAIL)
        .map(GateReport.Finding::message)
        .toList();
  }

  @Test
  void aTextModelUnderEveryCeilingPasses() {
    CardFixture fx =
        base(0)
            .add(2, "text", "ordinary/openstax", true, List.of(), List.of(), ADULT)
            .add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE)
            // 3 of 50 pages flagged (6%): too few pages to hold the ceiling on, reported only.
            .add(47, "html", "pages/readability", true, List.of(), List.of(), NONE)
            .add(3, "html", "pages/readability", true, List.of(), List.of(), ADULT);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.render())
        .contains("PASS adult flag rate on ordinary inputs [all] 0.004 (5 of 1252, 95% CI")
        .contains("<= ceiling 0.010 (test split)")
        .contains("PASS self_harm flag rate on ordinary inputs [all] 0.000 (0 of 1252")
        .contains("<= ceiling 0.005")
        .contains("PASS alerting categories false_alert_rate 0.000 <= ceiling 0.010")
        .contains(
            "PASS protected slice sex_education over_block_rate 0.000 (30 items) <= block rate of ordinary inputs 0.004")
        .contains(
            "PASS adult recall with reddit/nsfw held out 0.800 (40 positives; in-distribution 0.950) >= LOSO floor 0.500")
        .contains("PASS adult flag rate on ordinary hate/sbic held out 0.005")
        .contains("INFO leave-one-source-out: 2 held-out sources, 2 gated checks")
        .doesNotContain("[source:pages/readability]");
    // ALLOW categories (self_harm_help) have no ceiling: no finding about them.
    assertThat(report.render()).doesNotContain("self_harm_help flag rate");
  }

  @Test
  void anOrdinarySourceSignificantlyAboveTheCeilingFailsEvenWhenThePoolIsUnder() {
    // 10 of 200 user posts flagged adult (5%, Wilson lower bound 2.7%); pooled 10 of 1,200 = 0.8%.
    CardFixture fx =
        base(0)
            .add(190, "text", "hate/sbic", true, List.of(), List.of(), NONE)
            .add(10, "text", "hate/sbic", true, List.of(), List.of(), ADULT);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(report.passed()).isFalse();
    assertThat(failures(report))
        .singleElement()
        .asString()
        .startsWith(
            "adult flag rate on ordinary inputs [source:hate/sbic] 0.050 (10 of 200, 95% CI 0.027-0.090)")
        .endsWith(": significantly above the ceiling 0.010 on this group (test split)");
    assertThat(report.render())
        .contains("PASS adult flag rate on ordinary inputs [all] 0.008 (10 of 1200");
  }

  @Test
  void aPooledRateAboveTheCeilingFails() {
    // 15 of 1,015 textbook passages (1.5%, not significantly above 1% on their own), pooled 15 of
    // 1,215.
    CardFixture fx =
        base(0)
            .add(15, "text", "ordinary/openstax", true, List.of(), List.of(), ADULT)
            .add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report))
        .singleElement()
        .asString()
        .startsWith("adult flag rate on ordinary inputs [all] 0.012 (15 of 1215, 95% CI")
        .endsWith("> ceiling 0.010 (test split)");
  }

  @Test
  void anAlertingCategoryDecidedOnOrdinaryInputsFailsTheFalseAlertCeiling() {
    // self_harm_help alerts by design on help texts, but these 20 passages are not labelled help.
    CardFixture fx =
        base(0)
            .add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE)
            .add(
                20,
                "text",
                "ordinary/openstax",
                true,
                List.of(),
                List.of(),
                Set.of("self_harm_help"))
            // A crisis-help passage labelled self_harm_help alerting is not a false alert.
            .add(
                5,
                "text",
                "ordinary/medquad",
                true,
                List.of("self_harm_help"),
                List.of(),
                Set.of("self_harm_help"));
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report))
        .singleElement()
        .asString()
        .isEqualTo("alerting categories false_alert_rate 0.016 > ceiling 0.010 (test split)");
  }

  @Test
  void aProtectedSliceBlockedMoreThanOrdinaryInputsFails() {
    // 3 of 30 sex-education passages blocked as adult (10%), ordinary inputs 3 of 1,200.
    CardFixture fx = base(3).add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report))
        .singleElement()
        .asString()
        .startsWith(
            "protected slice sex_education over_block_rate 0.100 (3 of 30 items, 95% lower bound 0.035)"
                + " significantly above the block rate of ordinary inputs 0.00");
  }

  @Test
  void aProtectedSliceSmallerThanTheStandardsMinimumIsReportedNotJudged() {
    // 3 of 9 members blocked: a host-name rule's few members decide that rate (on the url card, a
    // porn site whose name says "gay" is an lgbtq member by rule). Under the standard's 30 it is
    // the
    // insufficient-data level: a warning with the numbers, and a failure where the policy says
    // fail.
    CardFixture fx =
        new CardFixture("adult", "self_harm", "self_harm_help")
            .add(60, "text", "reddit/nsfw", false, List.of("adult"), List.of(), ADULT)
            .add(1000, "text", "ordinary/openstax", true, List.of(), List.of(), NONE)
            .add(
                6,
                "text",
                "ordinary/openstax",
                true,
                List.of("sex_education"),
                List.of("sex_education"),
                NONE)
            .add(
                3,
                "text",
                "ordinary/openstax",
                true,
                List.of("sex_education"),
                List.of("sex_education"),
                ADULT)
            .add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report)).isEmpty();
    assertThat(report.render())
        .contains(
            "WARN protected slice sex_education over_block_rate 0.333 (3 of 9 items,"
                + " 95% lower bound 0.121) above the block rate of ordinary inputs 0.002, on fewer than 30 items"
                + " (insufficient data; policy says warn)");
  }

  /**
   * The same over-blocking on an advisory tier's card (release-gate.yaml tiers.llm.advisory: the
   * default policy lets it decide no blocking verdict) is printed as a warning, not a failure; its
   * card must still be current, which a failure says when it is not.
   */
  @Test
  void anAdvisoryTiersMeasurementsAreReportedNotGated() throws Exception {
    CardFixture fx = base(3).add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    Path dir = CardFixture.modelDir(home, "zs-advisory", "v" + (++versions));
    GOOD_LOSO.write(dir.resolve(LeaveOneSourceOut.FILE));
    fx.card(dir, "zs-advisory", "llm", TEXTS, List.of("weights.bin"), DATASET, false);
    GateReport notAdvisory = ReleaseGate.check(dir, home, EvaluationPolicy.resolve(null, home));
    assertThat(failures(notAdvisory)).isNotEmpty();
    Files.writeString(
        home.resolve(EvaluationPolicy.FILE),
        CardFixture.V2_POLICY
            + "\ntiers:\n  llm:\n    reason: decides no blocking verdict under the default policy\n    advisory: true\n");
    GateReport report = ReleaseGate.check(dir, home, EvaluationPolicy.resolve(null, home));
    assertThat(failures(report)).isEmpty();
    assertThat(report.render())
        .contains(
            "WARN advisory tier (release-gate.yaml tiers.llm.advisory), not gated:"
                + " protected slice sex_education over_block_rate 0.100 (3 of 30 items");
  }

  @Test
  void aProtectedSliceAboveOrdinaryInputsByChanceOnlyPasses() {
    // 1 of 60 sex-education passages blocked (0.017) against ordinary inputs at 0.008: above, but
    // the slice's interval (0.003-0.089) holds the ordinary rate, so it is not evidence of bias.
    CardFixture fx =
        new CardFixture("adult", "self_harm", "self_harm_help")
            .add(60, "text", "reddit/nsfw", false, List.of("adult"), List.of(), ADULT)
            .add(965, "text", "ordinary/openstax", true, List.of(), List.of(), NONE)
            .add(7, "text", "ordinary/openstax", true, List.of(), List.of(), ADULT)
            .add(
                59,
                "text",
                "ordinary/openstax",
                true,
                List.of("sex_education"),
                List.of("sex_education"),
                NONE)
            .add(
                1,
                "text",
                "ordinary/openstax",
                true,
                List.of("sex_education"),
                List.of("sex_education"),
                ADULT);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report)).isEmpty();
    assertThat(report.render())
        .contains(
            "protected slice sex_education over_block_rate 0.017 (1 of 60 items,"
                + " 95% lower bound 0.003) above, but not significantly above, the block rate of ordinary inputs");
  }

  @Test
  void withoutOrdinaryInputsNeitherCeilingsNorProtectedSlicesCanBeShown() {
    CardFixture fx =
        new CardFixture("adult", "self_harm")
            .add(60, "text", "reddit/nsfw", false, List.of("adult"), List.of(), ADULT)
            .add(30, "text", "cssrs", false, List.of(), List.of("mental_health_help"), NONE);
    GateReport report = gate(fx, GOOD_LOSO, TEXTS);
    assertThat(failures(report))
        .containsExactlyInAnyOrder(
            "protected slice mental_health_help: no ordinary inputs to compare its block rate with (test split)",
            "no ordinary (background) inputs were evaluated: the card cannot show how often ordinary inputs are"
                + " flagged; evaluate with the background inputs (test split)");
    assertThat(report.render())
        .contains("WARN false-alert rate not measurable (no ordinary inputs)");
  }

  @Test
  void aCardWrittenBeforeV2IsToldToBeRegeneratedNotThatItHadNoOrdinaryInputs() throws Exception {
    CardFixture fx = base(0).add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    Path dir = CardFixture.modelDir(home, "text-v2", "old");
    GOOD_LOSO.write(dir.resolve(LeaveOneSourceOut.FILE));
    fx.card(dir, "text-v2", "content", TEXTS, List.of("weights.bin"), DATASET, false);
    // The same card as a v1 generator wrote it: no external_validity (re-rendered, so only that
    // differs).
    ObjectNode json = (ObjectNode) Json.card().readTree(dir.resolve(ModelCard.JSON).toFile());
    ((ObjectNode) json.path("quantitative_analyses")).remove("external_validity");
    ModelCardGenerator.write(
        dir, ModelCardGenerator.fromJson(Json.card().writeValueAsString(json)));
    GateReport report = ReleaseGate.check(dir, home, EvaluationPolicy.resolve(null, home));
    assertThat(failures(report))
        .containsExactly(
            "the card has no external-validity section (generated before"
                + " evaluation standard v2): it cannot show how often ordinary inputs are flagged per source and kind;"
                + " re-run ./sieve eval run (test split)");
    assertThat(report.render())
        .contains(
            "WARN false-alert rate not in the card (generated before evaluation"
                + " standard v2); ceiling 0.010 (test split)");
  }

  @Test
  void leaveOneSourceOutFloorsAndCeilings() {
    CardFixture fx = base(0).add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    LeaveOneSourceOut bad =
        loso(
            new LeaveOneSourceOut.Fold(
                "reddit/nsfw", 40, List.of(recall("adult", 40, 12), recall("gambling", 40, 0))),
            // Too few positives to gate: reported only.
            new LeaveOneSourceOut.Fold("tumblr", 20, List.of(recall("adult", 20, 0))),
            new LeaveOneSourceOut.Fold("hate/sbic", 200, List.of(flagged("adult", 200, 12))),
            // An ordinary source smaller than min_group_items: reported only.
            new LeaveOneSourceOut.Fold("ordinary/recipes", 50, List.of(flagged("adult", 50, 10))));
    GateReport report = gate(fx, bad, TEXTS);
    assertThat(failures(report))
        .containsExactly(
            "adult recall with reddit/nsfw held out 0.300 (40 positives; in-distribution 0.950) < LOSO floor 0.500",
            "adult flag rate on ordinary hate/sbic held out 0.060 (95% CI lower 0.035): significantly above the ceiling 0.010");
    assertThat(report.render())
        .contains("INFO leave-one-source-out: 4 held-out sources, 2 gated checks")
        .doesNotContain("gambling recall with")
        .doesNotContain("tumblr held out");
  }

  @Test
  void aTextModelWithoutLeaveOneSourceOutFailsAUrlModelIsOnlyTold() {
    CardFixture fx = base(0).add(200, "text", "hate/sbic", true, List.of(), List.of(), NONE);
    GateReport text = gate(fx, null, TEXTS);
    assertThat(failures(text))
        .containsExactly(
            "no leave-one-source-out results (loso.json) next to the model: the"
                + " card cannot show what unseen sources do");
    GateReport url = gate(fx, null, List.of("domains", "background"));
    assertThat(url.passed()).as(url.render()).isTrue();
    assertThat(url.render())
        .contains(
            "INFO no leave-one-source-out results for this content model (not required for"
                + " URL-only models)");
  }
}
