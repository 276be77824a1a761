package dev.sieve.url.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.url.UrlServiceMain;
import dev.sieve.url.model.ModelArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train-url end to end on the fixture: artifact, card, RELEASED, and the service serving it. */
class TrainingPipelineTest {

  @TempDir Path home;

  @Test
  void trainsEvaluatesReleasesAndTheServiceLoadsTheModel() throws Exception {
    DatasetVersion dataset = TrainingFixture.install(home);
    Path modelRoot = home.resolve("models").resolve("url-lexical");
    TrainingPipeline.Result result =
        new TrainingPipeline(TrainingFixture.options(), true, true).run(dataset, modelRoot, "test-commit");

    assertThat(Files.readString(modelRoot.resolve(ModelArtifacts.RELEASED)).strip()).isEqualTo(result.version());
    for (String f : new String[] {"model.json", "weights.bin.gz", "vocab.tsv.gz", "model-card.json", "model-card.md"}) {
      assertThat(result.versionDir().resolve(f)).isRegularFile();
    }
    JsonNode card = ModelArtifacts.json().readTree(result.versionDir().resolve("model-card.json").toFile());
    assertThat(card.path("model").path("version").asText()).isEqualTo(result.version());
    assertThat(card.path("test").path("model_only").path("gambling").path("support").asInt()).isPositive();
    assertThat(card.path("test").path("baseline_ut1_expressions").has("adult")).isTrue();
    assertThat(card.path("alternatives").size()).isEqualTo(7);
    assertThat(card.path("serving_parity").path("feature_rows_identical").asBoolean()).isTrue();
    String md = Files.readString(result.versionDir().resolve("model-card.md"));
    assertThat(md).contains("# Model card: url-lexical " + result.version(), "Exact list lookup", "## 5. Goals");

    System.setProperty("sieve.url.table.snapshot.dir", home.resolve("snapshots").toString());
    UrlServiceMain.Running running = UrlServiceMain.start(home, "127.0.0.1", 0);
    try {
      var response = running.scorer().score(ScoreRequest.newBuilder().setUrl("http://mega-casino-bonus.xyz/").build());
      assertThat(response.getModel().getName()).isEqualTo("url-table+url-lexical");
      assertThat(response.getScoresList()).extracting(s -> s.getCategory()).contains("gambling");
    } finally {
      running.stop(Duration.ofSeconds(1));
      System.clearProperty("sieve.url.table.snapshot.dir");
    }
  }

  @Test
  void commandIsAPicocliCommandWithTheDocumentedOptions() {
    CommandLine cli = new CommandLine(new TrainUrlCommand());
    assertThat(cli.getCommandName()).isEqualTo("train-url");
    assertThat(cli.getCommandSpec().optionsMap()).containsKeys("--dataset", "--out", "--seed");
    assertThat(java.util.ServiceLoader.load(dev.sieve.core.cli.SieveCommand.class).stream()
        .map(p -> p.type().getName())).contains(TrainUrlCommand.class.getName());
  }
}
