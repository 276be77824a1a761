package dev.sieve.content.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.content.ContentTier;
import dev.sieve.content.TestModels;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerFactory;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval module finds the content tier through ServiceLoader, scores through the serving code on
 * the probability scale, and serving then decides at the thresholds the evaluation wrote.
 */
class ContentScorerProviderTest {

  private static final ScoreRequest SLOTS =
      ScoreRequest.newBuilder()
          .setText(ByteString.copyFromUtf8("Spin the slots and win the jackpot tonight"))
          .build();

  @TempDir static Path dir;

  @BeforeAll
  static void model() throws Exception {
    try (OnnxSentenceEncoder encoder =
        OnnxSentenceEncoder.load(
            new OnnxSentenceEncoder.Options(EncoderVariant.QUANTIZED, 1, 1, 1, false))) {
      TestModels.tinyModel(dir, encoder);
    }
  }

  @Test
  void evalScoresProbabilitiesThatServingAlignsToTheStandardsThresholds() throws Exception {
    assertThat(ScorerFactory.available()).contains("content");
    assertThat(ScorerFactory.provider("content").orElseThrow().servesCalibratedProbabilities())
        .isTrue();
    // A trained tier: its trainer writes loso.json by retraining without each source.
    assertThat(ScorerFactory.provider("content").orElseThrow().leaveOneSourceOutByThresholds())
        .isFalse();
    double probability;
    TierScorer scorer = ScorerFactory.create("content", ScorerContext.of(Path.of("."), dir));
    try {
      assertThat(scorer.tier()).isEqualTo("content");
      ScoreResponse r = scorer.score(SLOTS);
      assertThat(r.getScoresCount()).isEqualTo(2);
      probability = score(r, "gambling");
    } finally {
      ((AutoCloseable) scorer).close();
    }
    double trainer =
        HeadConfig.read(dir.resolve(HeadConfig.FILE))
            .category("gambling")
            .orElseThrow()
            .threshold();
    assertThat(served("gambling"))
        .isCloseTo(ThresholdAlignment.align(probability, trainer), within());

    Files.writeString(
        dir.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","dataset_version":"ds-test","score_space":"raw",
         "categories":{"gambling":{"threshold":0.37},"education":{"threshold":0.61}}}
        """);
    try {
      assertThat(served("gambling"))
          .isCloseTo(ThresholdAlignment.align(probability, 0.37), within());
    } finally {
      Files.delete(dir.resolve(ServedThresholds.FILE));
    }
  }

  @Test
  void aThresholdsFileServingCannotHonourStopsTheTierFromLoading() throws Exception {
    Files.writeString(
        dir.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","score_space":"calibrated",
         "categories":{"gambling":{"threshold":0.37}}}
        """);
    try {
      assertThatThrownBy(() -> served("gambling"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("score_space 'calibrated'");
    } finally {
      Files.delete(dir.resolve(ServedThresholds.FILE));
    }
  }

  private static double served(String category) throws Exception {
    try (ContentTier tier =
        ContentTier.open(
            new ContentTier.Options(
                dir,
                false,
                1,
                new BatcherConfig(4, Duration.ofMillis(1), 8, 1),
                ExtractionLimits.defaults()))) {
      return score(tier.scorer().score(SLOTS), category);
    }
  }

  private static double score(ScoreResponse r, String category) {
    return r.getScoresList().stream()
        .filter(s -> s.getCategory().equals(category))
        .findFirst()
        .orElseThrow()
        .getScore();
  }

  private static Offset<Double> within() {
    return Offset.offset(1e-4);
  }
}
