package dev.sieve.url.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.url.UrlServiceMain;
import dev.sieve.url.eval.TrainingReportWriter;
import dev.sieve.url.model.ModelArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * train-url end to end on the fixture: artifact, training report, model metadata, RELEASED, and the
 * service serving it; the report's derived files regenerated without retraining.
 */
class TrainingPipelineTest {

  @TempDir Path home;

  @Test
  void trainsEvaluatesReleasesAndTheServiceLoadsTheModel() throws Exception {
    DatasetVersion dataset = TrainingFixture.install(home);
    Path modelRoot = home.resolve("models").resolve("url-lexical");
    TrainingPipeline.Result result =
        new TrainingPipeline(TrainingFixture.options(), true, true)
            .run(dataset, modelRoot, "test-commit");

    assertThat(Files.readString(modelRoot.resolve(ModelArtifacts.RELEASED)).strip())
        .isEqualTo(result.version());
    for (String f :
        new String[] {
          "model.json",
          "weights.bin.gz",
          "vocab.tsv.gz",
          "training-report.json",
          "training-report.md",
          "model-metadata.json"
        }) {
      assertThat(result.versionDir().resolve(f)).isRegularFile();
    }
    // The model card is the evaluation standard's (./sieve eval run), not the trainer's.
    assertThat(result.versionDir().resolve("model-card.json")).doesNotExist();
    assertThat(result.versionDir().resolve("model-card.md")).doesNotExist();
    JsonNode card =
        ModelArtifacts.json()
            .readTree(result.versionDir().resolve("training-report.json").toFile());
    assertThat(card.path("model").path("version").asText()).isEqualTo(result.version());
    assertThat(card.path("test").path("model_only").path("gambling").path("support").asInt())
        .isPositive();
    assertThat(card.path("test").path("baseline_ut1_expressions").has("adult")).isTrue();
    assertThat(card.path("alternatives").size()).isEqualTo(7);
    assertThat(card.path("serving_parity").path("feature_rows_identical").asBoolean()).isTrue();
    String md = Files.readString(result.versionDir().resolve("training-report.md"));
    assertThat(md)
        .contains(
            "# Training report: url-lexical " + result.version(),
            "Exact list lookup",
            "## 5. Goals",
            "./sieve eval run --tier url --model-dir models/url-lexical/" + result.version());
    assertThat(card.path("model").path("size_bytes").asLong())
        .isEqualTo(
            ModelArtifacts.FILES.stream()
                .mapToLong(f -> result.versionDir().resolve(f).toFile().length())
                .sum());
    assertMetadataDescribes(result, card);

    System.setProperty("sieve.url.table.snapshot.dir", home.resolve("snapshots").toString());
    UrlServiceMain.Running running = UrlServiceMain.start(home, "127.0.0.1", 0);
    try {
      var response =
          running
              .scorer()
              .score(ScoreRequest.newBuilder().setUrl("http://mega-casino-bonus.xyz/").build());
      assertThat(response.getModel().getName()).isEqualTo("url-table+url-lexical");
      assertThat(response.getScoresList()).extracting(s -> s.getCategory()).contains("gambling");
    } finally {
      running.stop(Duration.ofSeconds(1));
    }
    // A thresholds.json that serving cannot honour stops the service from starting, with the
    // reason.
    Files.writeString(
        result.versionDir().resolve("thresholds.json"),
        """
        {"format":"sieve-thresholds/1","selected_on":"test","score_space":"raw","categories":{"gambling":{"threshold":0.4}}}
        """);
    try {
      assertThatThrownBy(() -> UrlServiceMain.start(home, "127.0.0.1", 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("thresholds.json")
          .hasMessageContaining("selected on 'test'");
    } finally {
      Files.delete(result.versionDir().resolve("thresholds.json"));
      System.clearProperty("sieve.url.table.snapshot.dir");
    }

    rewritesDerivedFilesWithoutTouchingTheArtifacts(result.versionDir());
  }

  /**
   * model-metadata.json is what the eval module reads, with the run's facts taken from the report.
   */
  private static void assertMetadataDescribes(TrainingPipeline.Result result, JsonNode report) {
    ModelMetadata meta = ModelMetadata.read(result.versionDir().resolve(ModelMetadata.FILE));
    assertThat(meta.name()).isEqualTo("url-lexical");
    assertThat(meta.version()).isEqualTo(result.version());
    assertThat(meta.date()).isEqualTo(report.path("generated_at").asText()).isNotBlank();
    assertThat(meta.tier()).isEqualTo("url");
    assertThat(meta.codeCommit()).isEqualTo("test-commit");
    assertThat(meta.trainingDatasetVersion()).isEqualTo("ds-fixture-train");
    assertThat(meta.artifacts())
        .containsExactlyInAnyOrder("model.json", "vocab.tsv.gz", "weights.bin.gz");
    assertThat(meta.license()).contains("CC BY-SA");
    assertThat(meta.trainingAlgorithm()).contains("FTRL", "Platt");
    assertThat(meta.hyperparameters()).containsKeys("seed", "ftrl_l1", "features");
    assertThat(meta.classWeighting()).isEqualTo(report.path("data").path("weighting").asText());
    assertThat(meta.resampling()).isEqualTo("none");
    assertThat(meta.intendedUse()).isNotBlank();
    assertThat(meta.primaryUsers()).isNotEmpty();
    assertThat(meta.outOfScope()).anyMatch(s -> s.startsWith("Judging page content"));
    assertThat(meta.ethicalConsiderations()).isNotEmpty();
    assertThat(meta.caveats()).anyMatch(c -> c.contains("path and query-key features"));
    report
        .path("test")
        .path("goals")
        .fields()
        .forEachRemaining(
            g -> {
              if (!g.getValue().path("met").asBoolean()) {
                assertThat(meta.caveats())
                    .anyMatch(c -> c.startsWith("Goal not met") && c.contains(g.getKey()));
              }
            });
    // The report's prose and the metadata come from one place.
    assertThat(report.path("intended_use").asText()).startsWith(meta.intendedUse());
    assertThat(report.path("out_of_scope_uses").asText()).startsWith(meta.outOfScope().get(0));
  }

  private static void rewritesDerivedFilesWithoutTouchingTheArtifacts(Path dir) throws Exception {
    Map<String, String> before = new TreeMap<>();
    for (String f : ModelArtifacts.FILES) {
      before.put(f, Sha256.ofFile(dir.resolve(f)));
    }
    String md = Files.readString(dir.resolve("training-report.md"));
    String metadata = Files.readString(dir.resolve("model-metadata.json"));
    Files.delete(dir.resolve("training-report.md"));
    Files.delete(dir.resolve("model-metadata.json"));
    assertThat(new CommandLine(new TrainUrlCommand()).execute("--rewrite-report", dir.toString()))
        .isZero();
    assertThat(Files.readString(dir.resolve("training-report.md"))).isEqualTo(md);
    assertThat(Files.readString(dir.resolve("model-metadata.json"))).isEqualTo(metadata);
    for (String f : ModelArtifacts.FILES) {
      assertThat(Sha256.ofFile(dir.resolve(f))).as(f).isEqualTo(before.get(f));
    }

    // A report computed for other bytes is refused rather than re-described.
    Path copy = dir.resolveSibling("copy");
    Files.createDirectories(copy);
    for (String f :
        new String[] {"model.json", "weights.bin.gz", "vocab.tsv.gz", "training-report.json"}) {
      Files.copy(dir.resolve(f), copy.resolve(f));
    }
    String report = Files.readString(copy.resolve("training-report.json"));
    Files.writeString(
        copy.resolve("training-report.json"),
        report.replace(before.get("vocab.tsv.gz"), "0".repeat(64)));
    assertThatThrownBy(() -> TrainingReportWriter.rewrite(copy))
        .hasMessageContaining("vocab.tsv.gz")
        .hasMessageContaining("retrain");
    assertThat(copy.resolve("model-metadata.json")).doesNotExist();
  }

  @Test
  void commandIsAPicocliCommandWithTheDocumentedOptions() {
    CommandLine cli = new CommandLine(new TrainUrlCommand());
    assertThat(cli.getCommandName()).isEqualTo("train-url");
    assertThat(cli.getCommandSpec().optionsMap())
        .containsKeys("--dataset", "--out", "--seed", "--rewrite-report");
    assertThat(ServiceLoader.load(SieveCommand.class).stream().map(p -> p.type().getName()))
        .contains(TrainUrlCommand.class.getName());
  }
}
