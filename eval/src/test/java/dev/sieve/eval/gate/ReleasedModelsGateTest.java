package dev.sieve.eval.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release gate on the repository's real models, as the build runs it: every released version
 * passes the repository's policy, and a regression planted in a real card fails it with a message
 * naming category, metric, floor and measured value.
 */
class ReleasedModelsGateTest {

  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  /**
   * Every released version passes the repository's policy, except for failures written down one by
   * one in release-known-failures.yaml (model/version, the issue that tracks them, why the version
   * is served anyway, and each failure's exact message). The gate itself still says FAILED for such
   * a version; this test holds the list to exactly what the gate reports, so a new failure fails
   * the build and so does a fixed one that is still listed.
   */
  @Test
  void everyReleasedModelPassesTheRepositoryPolicyOrItsFailuresAreExactlyTheKnownOnes()
      throws IOException {
    EvaluationPolicy policy = EvaluationPolicy.resolve(null, HOME);
    JsonNode known =
        new ObjectMapper(new YAMLFactory()).readTree(HOME.resolve(KNOWN_FAILURES).toFile());
    List<String> names = new ArrayList<>();
    for (Path released : releasedPointers()) {
      String version = Files.readString(released, StandardCharsets.UTF_8).strip();
      String model = released.getParent().getFileName().toString();
      Path dir = released.getParent().resolve(version);
      GateReport report = ReleaseGate.check(dir, HOME, policy);
      JsonNode entry = known.path(model + "/" + version);
      List<String> listed = new ArrayList<>();
      entry.path("failures").forEach(f -> listed.add(f.asText()));
      if (!listed.isEmpty()) {
        assertThat(entry.path("issue").asText())
            .as(model + "/" + version + " names the issue that tracks it")
            .isNotBlank();
        assertThat(entry.path("reason").asText())
            .as(model + "/" + version + " says why it is served")
            .isNotBlank();
      }
      List<String> failures = report.failures().stream().map(GateReport.Finding::message).toList();
      assertThat(failures)
          .as(
              KNOWN_FAILURES
                  + " lists exactly the gate's failures of "
                  + model
                  + "/"
                  + version
                  + "\n"
                  + report.render())
          .containsExactlyInAnyOrderElementsOf(listed);
      names.add(model);
    }
    assertThat(names).contains("url-lexical", "content-minilm-mlp", "llm-zero-shot");
    known
        .fieldNames()
        .forEachRemaining(
            key ->
                assertThat(releasedVersionKeys())
                    .as(KNOWN_FAILURES + " lists only released versions")
                    .contains(key));
  }

  private static final String KNOWN_FAILURES = "release-known-failures.yaml";

  private static List<String> releasedVersionKeys() {
    try {
      List<String> keys = new ArrayList<>();
      for (Path released : releasedPointers()) {
        keys.add(
            released.getParent().getFileName()
                + "/"
                + Files.readString(released, StandardCharsets.UTF_8).strip());
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aRegressionPlantedInARealCardFailsTheGate(@TempDir Path home) throws IOException {
    String model = "content-minilm-mlp";
    Path realModel = HOME.resolve("models").resolve(model);
    String releasedVersion =
        Files.readString(realModel.resolve("RELEASED"), StandardCharsets.UTF_8).strip();
    copy(HOME.resolve(EvaluationPolicy.FILE), home.resolve(EvaluationPolicy.FILE));
    Path datasets = HOME.resolve("data/datasets");
    String dataset = Files.readString(datasets.resolve("CURRENT"), StandardCharsets.UTF_8).strip();
    copy(datasets.resolve("CURRENT"), home.resolve("data/datasets/CURRENT"));
    copy(
        datasets.resolve(dataset).resolve("manifest.json"),
        home.resolve("data/datasets").resolve(dataset).resolve("manifest.json"));
    Path models = home.resolve("models").resolve(model);
    copyTree(realModel.resolve(releasedVersion), models.resolve(releasedVersion));
    copy(realModel.resolve("RELEASED"), models.resolve("RELEASED"));
    Path candidate = models.resolve("planted");
    copyTree(realModel.resolve(releasedVersion), candidate);

    // Same artifacts, same thresholds, a re-rendered card: only the measured self_harm recall is
    // worse (self_harm: a floor category measured on every content card; adult texts are too few
    // since the 2026-12 label review, see docs/data.md).
    ObjectNode card = (ObjectNode) Json.card().readTree(candidate.resolve(ModelCard.JSON).toFile());
    ((ObjectNode) card.path("model_details")).put("version", "planted");
    double releasedRecall = Double.NaN;
    for (JsonNode c : card.path("quantitative_analyses").path("categories")) {
      if (c.path("category").asText().equals("self_harm")) {
        releasedRecall = c.path("recall").path("value").asDouble();
        ((ObjectNode) c.path("recall")).put("value", 0.70).put("lower", 0.62).put("upper", 0.78);
      }
    }
    // The copied card still carries its own predecessor re-scored (baseline previous_release, the
    // version released before it); the gate must compare the candidate with the version released
    // now, i.e. with the released card, not with that older baseline.
    ModelCardGenerator.write(
        candidate, ModelCardGenerator.fromJson(Json.card().writeValueAsString(card)));

    EvaluationPolicy policy = EvaluationPolicy.resolve(null, home);
    // The released card itself meets the floor (its other findings, if any, are in
    // release-known-failures.yaml).
    assertThat(ReleaseGate.check(models.resolve(releasedVersion), home, policy).render())
        .contains("PASS self_harm recall")
        .doesNotContain("FAIL self_harm recall 0.");
    GateReport report = ReleaseGate.check(candidate, home, policy);
    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains("FAIL self_harm recall 0.700 < floor 0.900")
        .contains(
            String.format(
                Locale.ROOT,
                "FAIL self_harm recall 0.700 < previous %.3f - tolerance 0.010",
                releasedRecall))
        .contains("RELEASE GATE FAILED");

    // A waiver turns exactly that regression into a warning with its reason; the floor still fails.
    String policyText = Files.readString(home.resolve(EvaluationPolicy.FILE));
    String entry =
        "    - {model: "
            + model
            + ", version: planted, category: self_harm, metric: recall, reason: test waiver}\n";
    Files.writeString(
        home.resolve(EvaluationPolicy.FILE),
        policyText.contains("\n  waivers:\n")
            ? policyText.replace("\n  waivers:\n", "\n  waivers:\n" + entry)
            : policyText.replace("\ngate:\n", "\ngate:\n  waivers:\n" + entry));
    GateReport waived = ReleaseGate.check(candidate, home, EvaluationPolicy.resolve(null, home));
    assertThat(waived.render())
        .contains("WARN self_harm recall 0.700 < previous")
        .contains("WAIVED in release-gate.yaml: test waiver")
        .contains("FAIL self_harm recall 0.700 < floor 0.900")
        .contains("RELEASE GATE FAILED");
  }

  private static List<Path> releasedPointers() throws IOException {
    try (Stream<Path> s = Files.list(HOME.resolve("models"))) {
      return s.map(d -> d.resolve("RELEASED")).filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }
}
