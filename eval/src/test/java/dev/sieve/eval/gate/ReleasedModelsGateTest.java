package dev.sieve.eval.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.eval.card.Json;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void everyReleasedModelPassesTheRepositoryPolicy() throws IOException {
    EvaluationPolicy policy = EvaluationPolicy.resolve(null, HOME);
    List<String> names = new ArrayList<>();
    for (Path released : releasedPointers()) {
      Path dir = released.getParent().resolve(Files.readString(released, StandardCharsets.UTF_8).strip());
      GateReport report = ReleaseGate.check(dir, HOME, policy);
      assertThat(report.passed()).as(report.render()).isTrue();
      names.add(released.getParent().getFileName().toString());
    }
    assertThat(names).contains("url-lexical", "content-minilm-mlp", "llm-zero-shot");
  }

  @Test
  void aRegressionPlantedInARealCardFailsTheGate(@TempDir Path home) throws IOException {
    String model = "content-minilm-mlp";
    Path realModel = HOME.resolve("models").resolve(model);
    String releasedVersion = Files.readString(realModel.resolve("RELEASED"), StandardCharsets.UTF_8).strip();
    copy(HOME.resolve(EvaluationPolicy.FILE), home.resolve(EvaluationPolicy.FILE));
    Path datasets = HOME.resolve("data/datasets");
    String dataset = Files.readString(datasets.resolve("CURRENT"), StandardCharsets.UTF_8).strip();
    copy(datasets.resolve("CURRENT"), home.resolve("data/datasets/CURRENT"));
    copy(datasets.resolve(dataset).resolve("manifest.json"), home.resolve("data/datasets").resolve(dataset).resolve("manifest.json"));
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
    ModelCardGenerator.write(candidate, ModelCardGenerator.fromJson(Json.card().writeValueAsString(card)));

    EvaluationPolicy policy = EvaluationPolicy.resolve(null, home);
    assertThat(ReleaseGate.check(models.resolve(releasedVersion), home, policy).passed()).isTrue();
    GateReport report = ReleaseGate.check(candidate, home, policy);
    assertThat(report.passed()).isFalse();
    assertThat(report.render())
        .contains("FAIL self_harm recall 0.700 < floor 0.900")
        .contains(String.format(java.util.Locale.ROOT, "FAIL self_harm recall 0.700 < previous %.3f - tolerance 0.010",
            releasedRecall))
        .contains("RELEASE GATE FAILED");

    // A waiver turns exactly that regression into a warning with its reason; the floor still fails.
    String policyText = Files.readString(home.resolve(EvaluationPolicy.FILE));
    String entry = "    - {model: " + model + ", version: planted, category: self_harm, metric: recall, reason: test waiver}\n";
    Files.writeString(home.resolve(EvaluationPolicy.FILE), policyText.contains("\n  waivers:\n")
        ? policyText.replace("\n  waivers:\n", "\n  waivers:\n" + entry)
        : policyText.replace("\ngate:\n", "\ngate:\n  waivers:\n" + entry));
    GateReport waived = ReleaseGate.check(candidate, home, EvaluationPolicy.resolve(null, home));
    assertThat(waived.render())
        .contains("WARN self_harm recall 0.700 < previous").contains("WAIVED in release-gate.yaml: test waiver")
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
