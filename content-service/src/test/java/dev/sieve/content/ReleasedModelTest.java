package dev.sieve.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The committed, released model: it loads (SHA-256 verified against its configuration), its card
 * describes the same artifact, and it ranks an explicit text above a harmless one.
 */
class ReleasedModelTest {

  static final Path MODEL_ROOT = Path.of("..", "models", ContentTier.MODEL_NAME);

  private static double score(ScoreResponse response, String category) {
    return response.getScoresList().stream()
        .filter(s -> s.getCategory().equals(category))
        .mapToDouble(CategoryScore::getScore)
        .findFirst()
        .orElse(Double.NaN);
  }

  @Test
  void releasedModelLoadsMatchesItsCardAndScoresSensibly() throws Exception {
    Path version = ContentModel.releasedVersion(MODEL_ROOT);
    HeadConfig config = HeadConfig.read(version.resolve(HeadConfig.FILE));
    JsonNode card = new ObjectMapper().readTree(version.resolve("training-report.json").toFile());
    assertThat(card.path("model").path("artifact_sha256").asText())
        .isEqualTo(config.artifactSha256());
    assertThat(card.path("model").path("version").asText()).isEqualTo(config.version());
    assertThat(config.servedCategoryIds()).contains("self_harm", "hate");

    try (ContentTier tier =
        ContentTier.open(
            new ContentTier.Options(
                version,
                false,
                1,
                new BatcherConfig(4, Duration.ofMillis(1), 8, 1),
                ExtractionLimits.defaults()))) {
      assertThat(tier.scorer().describe().getCategoriesList())
          .containsExactlyElementsOf(config.servedCategoryIds());
      ScoreResponse crisis =
          tier.scorer()
              .score(
                  ScoreRequest.newBuilder()
                      .setText(
                          ByteString.copyFromUtf8(
                              "I can't do this anymore. I have the pills ready and I am going to kill myself tonight."))
                      .build());
      ScoreResponse homework =
          tier.scorer()
              .score(
                  ScoreRequest.newBuilder()
                      .setText(
                          ByteString.copyFromUtf8(
                              "Our class planted tomatoes in the school garden and measured how fast they grew."))
                      .build());
      assertThat(score(crisis, "self_harm")).isGreaterThan(score(homework, "self_harm"));
      // Served scores are on the fleet's common scale: the card's dev threshold sits at 0.5.
      double threshold = ThresholdAlignment.ALIGNED_THRESHOLD;
      assertThat(config.category("self_harm").orElseThrow().threshold()).isBetween(0.0, 1.0);
      assertThat(score(crisis, "self_harm")).isGreaterThanOrEqualTo(threshold);
      assertThat(score(homework, "self_harm")).isLessThan(threshold);
    }
  }
}
