package dev.sieve.eval.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.CardFixture;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.gate.GateReport;
import dev.sieve.eval.gate.ReleaseGate;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet card at the release gate: crisis help is never blocked by the served verdict, and a
 * card whose lineage (released tier models, their served thresholds and metadata, the default
 * policy) no longer matches the repository is stale. The fleet trains nothing, so it has no
 * leave-one-source-out.
 */
class FleetCardGateTest {

  static final String DATASET = "ds-fleet";
  static final Set<String> ADULT = Set.of("adult");
  static final Set<String> HELP = Set.of("self_harm_help");
  static final List<String> HELP_SLICE = List.of("mental_health_help");

  @TempDir Path home;

  @BeforeEach
  void repository() throws IOException {
    Fixtures.dataset(home, DATASET);
    Files.writeString(home.resolve(EvaluationPolicy.FILE), CardFixture.V2_POLICY);
    release("url-lexical", "u1", true);
    release("content-minilm-mlp", "c1", false);
    Path policy = home.resolve(FleetEvaluation.DEFAULT_POLICY);
    Files.createDirectories(policy.getParent());
    Files.writeString(policy, "id: default\nversion: 7\n");
  }

  private void release(String model, String version, boolean withMetadata) throws IOException {
    Path dir = home.resolve("models").resolve(model).resolve(version);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("thresholds.json"), "{\"model\": \"" + model + version + "\"}\n");
    if (withMetadata) {
      Files.writeString(dir.resolve("model-metadata.json"), "{\"name\": \"" + model + "\"}\n");
    }
    Files.writeString(home.resolve("models").resolve(model).resolve("RELEASED"), version + "\n");
  }

  /**
   * The served verdicts: 60 adult pages blocked, 1,200 ordinary texts allowed, 20 crisis-help texts
   * alerted (by design) of which {@code helpBlocked} were blocked.
   */
  private Path fleetCard(int helpBlocked, boolean withHelpSlice) throws IOException {
    Path dir = home.resolve("models").resolve(FleetEvaluation.MODEL_NAME).resolve("fleet-test");
    Files.createDirectories(dir);
    Files.copy(
        home.resolve(FleetEvaluation.DEFAULT_POLICY), dir.resolve(FleetEvaluation.POLICY_FILE));
    Files.writeString(
        dir.resolve(FleetEvaluation.FLEET_FILE),
        Json.card().writeValueAsString(FleetEvaluation.lineage(home)) + "\n");
    CardFixture fx =
        new CardFixture("adult", "self_harm", "self_harm_help")
            .add(60, "html", "pages/adult", false, List.of("adult"), List.of(), ADULT, true, false)
            .add(
                1000,
                "text",
                "ordinary/openstax",
                true,
                List.of(),
                List.of(),
                Set.of(),
                false,
                false)
            .add(200, "text", "hate/sbic", true, List.of(), List.of(), Set.of(), false, false);
    if (withHelpSlice) {
      fx.add(
              20 - helpBlocked,
              "text",
              "ordinary/medquad",
              true,
              List.of("self_harm_help"),
              HELP_SLICE,
              HELP,
              false,
              true)
          .add(
              helpBlocked,
              "text",
              "ordinary/medquad",
              true,
              List.of("self_harm_help"),
              HELP_SLICE,
              HELP,
              true,
              true);
    }
    fx.card(
        dir,
        FleetEvaluation.MODEL_NAME,
        "fleet",
        List.of("texts", "pages", "background"),
        List.of(FleetEvaluation.POLICY_FILE, FleetEvaluation.FLEET_FILE),
        DATASET,
        true);
    return dir;
  }

  private GateReport gate(Path dir) {
    return ReleaseGate.check(dir, home, EvaluationPolicy.resolve(null, home));
  }

  @Test
  void aCurrentFleetCardThatNeverBlocksCrisisHelpPasses() throws IOException {
    GateReport report = gate(fleetCard(0, true));
    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.render())
        .contains("PASS fleet card measured the released tier models and the default policy")
        .contains("PASS protected slice mental_health_help: none of 20 items blocked (test split)")
        .contains("INFO leave-one-source-out: not applicable to the fleet card")
        // The help texts alert by design (served alert, labelled self_harm_help): no false alert.
        .contains("PASS alerting categories false_alert_rate 0.000 <= ceiling 0.010");
  }

  @Test
  void crisisHelpBlockedByTheServedVerdictFails() throws IOException {
    GateReport report = gate(fleetCard(2, true));
    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains(
            "FAIL protected slice mental_health_help blocked 0.100 of 20 items under"
                + " the default policy; it must never be blocked (test split)");
  }

  @Test
  void aFleetCardWithoutTheCrisisHelpSliceCannotShowItIsNeverBlocked() throws IOException {
    GateReport report = gate(fleetCard(0, false));
    assertThat(report.render())
        .contains(
            "FAIL protected slice mental_health_help has no members without a"
                + " blocking label in the card: cannot show it is never blocked (test split)");
  }

  @Test
  void aReleaseOrAPolicyChangeAfterMeasuringMakesTheCardStale() throws IOException {
    Path dir = fleetCard(0, true);
    assertThat(FleetEvaluation.staleness(dir, home)).isEmpty();

    release("url-lexical", "u2", true);
    assertThat(FleetEvaluation.staleness(dir, home))
        .isEqualTo("url-lexical u1 measured, u2 released");
    GateReport report = gate(dir);
    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains(
            "FAIL fleet card is stale: url-lexical u1 measured, u2 released"
                + " (re-measure: ./sieve up && ./sieve eval fleet --release)");

    Files.writeString(home.resolve("models/url-lexical/RELEASED"), "u1\n");
    Files.writeString(
        home.resolve("models/content-minilm-mlp/c1/thresholds.json"), "{\"retuned\": true}\n");
    assertThat(FleetEvaluation.staleness(dir, home))
        .isEqualTo(
            "content-minilm-mlp c1 measured, c1 released (served thresholds or metadata changed)");

    Files.writeString(
        home.resolve("models/content-minilm-mlp/c1/thresholds.json"),
        "{\"model\": \"content-minilm-mlpc1\"}\n");
    release("llm-zero-shot", "z1", false);
    Files.writeString(home.resolve(FleetEvaluation.DEFAULT_POLICY), "id: default\nversion: 8\n");
    assertThat(FleetEvaluation.staleness(dir, home))
        .isEqualTo(
            "llm-zero-shot (absent) measured, z1 released;"
                + " the default policy "
                + FleetEvaluation.DEFAULT_POLICY
                + " differs from the measured policy.yaml");
  }
}
