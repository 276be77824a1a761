package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.TextRecord;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole training command on a small fixture dataset: embedding (with cache), DJL training,
 * calibration, thresholds, packaging with SHA-256, card, predictions, RELEASED, baselines.
 */
class ContentTrainerTest {

  static List<TextRecord> fixtureTexts() {
    String[] games = {
      "slots",
      "poker",
      "roulette",
      "blackjack",
      "baccarat",
      "bingo",
      "sports betting",
      "the lottery"
    };
    String[] places = {
      "our casino", "the online casino", "this betting site", "the casino app", "our sportsbook"
    };
    String[] prizes = {"the jackpot", "cash prizes", "free spins", "a deposit bonus", "real money"};
    String[] people = {"Students", "Teachers", "Families", "Gardeners", "Cooks"};
    String[] verbs = {
      "read about", "plan lessons on", "share notes on", "learn about", "write about"
    };
    String[] topics = {
      "the history of Rome",
      "tomato plants",
      "fractions",
      "bread recipes",
      "the water cycle",
      "local birds"
    };
    List<TextRecord> out = new ArrayList<>();
    int n = 0;
    for (String game : games) {
      for (String place : places) {
        String prize = prizes[n % prizes.length];
        out.add(
            record(
                n++,
                "Play " + game + " at " + place + " and win " + prize + " tonight.",
                List.of("gambling")));
      }
    }
    for (String person : people) {
      for (String verb : verbs) {
        for (int t = 0; t < 2; t++) {
          String topic = topics[(n + t) % topics.length];
          out.add(record(n++, person + " " + verb + " " + topic + " in the spring.", List.of()));
        }
      }
    }
    out.add(record(n, "   ", List.of()));
    return out;
  }

  private static TextRecord record(int n, String text, List<String> labels) {
    String split =
        switch (n % 5) {
          case 0, 1, 2 -> "train";
          case 3 -> "dev";
          default -> "test";
        };
    return new TextRecord(
        "fx:" + n,
        text,
        labels,
        List.of("gambling"),
        "fixture/" + (n % 2 == 0 ? "a" : "b"),
        n % 3 == 0 ? "prompt" : "site_description",
        "g" + n,
        split,
        Map.of());
  }

  static DatasetVersion writeDataset(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(DatasetVersion.MANIFEST), "{\"version\":\"ds-fixture\"}");
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(dir.resolve(DatasetVersion.TEXTS))),
                StandardCharsets.UTF_8))) {
      for (TextRecord r : fixtureTexts()) {
        out.write(DatasetVersion.mapper().writeValueAsString(r));
        out.write('\n');
      }
    }
    return DatasetVersion.open(dir);
  }

  static Path writePhraseLists(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("gambling"));
    Files.createDirectories(dir.resolve("goodphrases"));
    Files.writeString(
        dir.resolve("gambling/weighted"),
        String.join(
            "\n",
            "#listcategory: \"Gambling\"",
            "< casino ><30>",
            "<poker><40>",
            "< jackpot >,< win ><30>",
            ".Include</nowhere>",
            ""));
    Files.writeString(dir.resolve("goodphrases/weighted_general"), "< students ><-20>\n");
    return dir;
  }

  @Test
  void trainsCalibratesEvaluatesAndPackagesAVerifiableModel(@TempDir Path tmp) throws Exception {
    DatasetVersion dataset = writeDataset(tmp.resolve("ds"));
    Path modelRoot = tmp.resolve("models/content-minilm-mlp");
    HeadTrainer.Params params = new HeadTrainer.Params(16, 0.1f, 5e-3f, 0f, 16, 30, 30, 3);
    ContentTrainer.Options options =
        new ContentTrainer.Options(
            dataset,
            modelRoot,
            tmp.resolve("cache"),
            writePhraseLists(tmp.resolve("phraselists")),
            params,
            0,
            true,
            "test-commit",
            new ContentTrainer.Minimums(10, 5, 5, 5),
            true,
            false,
            null,
            null);
    Path versionDir;
    try (OnnxSentenceEncoder encoder =
        OnnxSentenceEncoder.load(
            new OnnxSentenceEncoder.Options(EncoderVariant.QUANTIZED, 1, 1, 1, false))) {
      versionDir = new ContentTrainer(options, encoder).run();
      assertThat(Files.readString(modelRoot.resolve("RELEASED")).strip())
          .isEqualTo(versionDir.getFileName().toString());
      assertThat(versionDir.resolve("training-report.json")).exists();
      assertThat(versionDir.resolve("training-report.md")).exists();
      assertThat(versionDir.resolve(ContentTrainer.PREDICTIONS_FILE)).exists();
      assertThat(tmp.resolve("cache")).isNotEmptyDirectory();

      HeadConfig config = HeadConfig.read(versionDir.resolve(HeadConfig.FILE));
      assertThat(config.categoryIds()).containsExactly("gambling");
      assertThat(config.datasetVersion()).isEqualTo("ds-fixture");
      assertThat(config.codeCommit()).isEqualTo("test-commit");
      assertThat(config.encoder()).isEqualTo(encoder.id());
      assertThat(config.servedCategoryIds()).containsExactly("gambling");

      JsonNode card =
          new ObjectMapper().readTree(versionDir.resolve("training-report.json").toFile());
      assertThat(card.path("model").path("artifact_sha256").asText())
          .isEqualTo(config.artifactSha256());
      JsonNode gambling = null;
      for (JsonNode c : card.path("categories")) {
        if (c.path("category").asText().equals("gambling")) {
          gambling = c;
        } else {
          assertThat(c.path("status").asText()).isEqualTo("no_data");
        }
      }
      assertThat(gambling.path("status").asText()).isEqualTo("served");
      assertThat(gambling.path("test").path("support").asInt()).isEqualTo(8);
      assertThat(gambling.path("test").path("auprc").asDouble()).isGreaterThan(0.5);
      assertThat(gambling.path("ece_test").has("before")).isTrue();
      assertThat(card.path("data").path("sampling").path("dropped_empty_texts").asInt())
          .isEqualTo(1);
      assertThat(card.path("baselines").path("hashed_ngram_logistic").path("test").has("gambling"))
          .isTrue();
      assertThat(
              card.path("baselines")
                  .path("e2guardian_phrases")
                  .path("test")
                  .path("gambling")
                  .path("auprc")
                  .asDouble())
          .isGreaterThan(0.5);
      assertThat(card.path("slices_test").path("kind").has("prompt")).isTrue();
      String markdown = Files.readString(versionDir.resolve("training-report.md"));
      assertThat(markdown)
          .contains("## 7. Baselines side by side")
          .contains("gambling")
          .contains("no_data");

      // The packaged model loads with its SHA-256 verified...
      try (ContentModel model = ContentModel.load(versionDir, encoder, Device.cpu())) {
        assertThat(model.config().version()).isEqualTo(versionDir.getFileName().toString());
      }
      // ...and refuses tampered weights.
      Path weights = versionDir.resolve(config.artifactFile());
      byte[] bytes = Files.readAllBytes(weights);
      bytes[bytes.length - 1] ^= 1;
      Files.write(weights, bytes);
      assertThatThrownBy(() -> ContentModel.load(versionDir, encoder, Device.cpu()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SHA-256");
    }
  }
}
