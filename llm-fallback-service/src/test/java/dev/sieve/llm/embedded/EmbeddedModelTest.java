package dev.sieve.llm.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.llm.BackendResult;
import dev.sieve.llm.TestFixtures;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.CategoryScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving decides at the thresholds the evaluation standard chose: a version's thresholds.json
 * aligns each calibrated probability exactly as {@link ThresholdAlignment#align} predicts, a
 * category the file does not name keeps the tier's rule (the probability itself), and a file
 * serving cannot honour stops the model from loading.
 */
class EmbeddedModelTest {

  private static final String PAGE =
      "Welcome to Lucky Spin Casino! Play slots and roulette, then chat with our AI "
          + "assistant that writes your essays. Adult content for members only.";

  @TempDir static Path version;

  @BeforeAll
  static void copyReleasedCalibration() throws Exception {
    Path released =
        EmbeddedModel.releasedVersion(EmbeddedModel.modelRoot(Path.of(".."))).orElseThrow();
    Files.copy(
        released.resolve(EmbeddedModel.CALIBRATION), version.resolve(EmbeddedModel.CALIBRATION));
  }

  @Test
  void theStandardsThresholdsAlignServedScoresAndUnnamedCategoriesKeepTheProbability()
      throws Exception {
    Files.writeString(
        version.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","dataset_version":"ds-test","score_space":"raw",
         "categories":{"gambling":{"threshold":0.37},"adult":{"threshold":0.82},"self_harm":{"threshold":0.05}}}
        """);
    try {
      Map<String, Double> probability = scores(EmbeddedModel.Scale.PROBABILITY);
      Map<String, Double> served = scores(EmbeddedModel.Scale.SERVED);
      Map<String, Double> thresholds = Map.of("gambling", 0.37, "adult", 0.82, "self_harm", 0.05);
      thresholds.forEach(
          (category, t) ->
              assertThat(served.get(category))
                  .as(category)
                  .isEqualTo(ThresholdAlignment.align(probability.get(category), t)));
      assertThat(served.get("gambling")).isNotEqualTo(probability.get("gambling"));
      // Emerging categories from config/categories/emerging.yaml have no threshold in the file.
      assertThat(served.get("ai_chatbots")).isEqualTo(probability.get("ai_chatbots"));
      assertThat(served.get("cheating")).isEqualTo(probability.get("cheating"));
    } finally {
      Files.delete(version.resolve(ServedThresholds.FILE));
    }
  }

  @Test
  void withoutThresholdsServingKeepsTheCalibratedProbability() throws Exception {
    assertThat(scores(EmbeddedModel.Scale.SERVED))
        .isEqualTo(scores(EmbeddedModel.Scale.PROBABILITY));
  }

  @Test
  void aThresholdsFileServingCannotHonourStopsTheModelFromLoading() throws Exception {
    Files.writeString(
        version.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","score_space":"calibrated",
         "categories":{"gambling":{"threshold":0.37}}}
        """);
    try {
      for (EmbeddedModel.Scale scale : EmbeddedModel.Scale.values()) {
        assertThatThrownBy(() -> backend(scale))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(version.resolve(ServedThresholds.FILE).toString())
            .hasMessageContaining("score_space 'calibrated'");
      }
    } finally {
      Files.delete(version.resolve(ServedThresholds.FILE));
    }
  }

  private static EmbeddingBackend backend(EmbeddedModel.Scale scale) {
    return EmbeddedModel.backend(
        TestFixtures.zeroShot(), Optional.of(version.resolve(EmbeddedModel.CALIBRATION)), scale, 2);
  }

  private static Map<String, Double> scores(EmbeddedModel.Scale scale) throws Exception {
    CategoryCatalog catalog = TestFixtures.shippedCatalog();
    BackendResult result =
        backend(scale)
            .score(
                ScoringInput.ofText(PAGE), catalog, catalog.categories(), Duration.ofSeconds(30));
    Map<String, Double> out = new TreeMap<>();
    for (CategoryScore s : result.scores()) {
      out.put(s.getCategory(), s.getScore());
    }
    return out;
  }
}
