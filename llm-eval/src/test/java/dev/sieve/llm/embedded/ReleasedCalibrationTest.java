package dev.sieve.llm.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.llm.TestFixtures;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.eval.TrainingReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The released calibration must belong to the shipped category files: a fit is only valid for the
 * description, examples and background it was fitted on. Editing config/categories without
 * re-running {@code ./sieve llm-eval --release} would silently serve default mappings (and a stale
 * training report), so it fails here instead.
 */
class ReleasedCalibrationTest {

  private static final Path MODEL_DIR = Path.of("..", "models", "llm-zero-shot");

  @Test
  void releasedCalibrationWasFittedOnTheShippedDefinitionsAndMatchesItsTrainingReport()
      throws Exception {
    Path released = MODEL_DIR.resolve("RELEASED");
    assertThat(released).as("models/llm-zero-shot/RELEASED").isRegularFile();
    Path dir = MODEL_DIR.resolve(Files.readString(released).strip());
    Calibration calibration = Calibration.load(dir.resolve("calibration.json"));
    CategoryCatalog catalog = TestFixtures.shippedCatalog();
    assertThat(calibration.encoder()).isEqualTo(TestFixtures.zeroShotEncoderId());
    for (Map.Entry<String, Map<String, Calibration.Entry>> entry :
        calibration.file().categories().entrySet()) {
      CategoryDefinition category =
          catalog
              .find(entry.getKey())
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "calibration has a fit for '"
                              + entry.getKey()
                              + "', which is no longer shipped"));
      for (Map.Entry<String, Calibration.Entry> fit : entry.getValue().entrySet()) {
        assertThat(fit.getValue().scoringHash())
            .as(
                "fit of %s/%s in %s is for another definition: re-run ./sieve llm-eval --release",
                category.id(), fit.getKey(), dir)
            .isEqualTo(catalog.scoringHash(category));
      }
    }
    assertThat(calibration.file().categories())
        .containsKeys("ai_chatbots", "cheating", "self_harm");
    var report = new ObjectMapper().readTree(dir.resolve(TrainingReportWriter.JSON).toFile());
    assertThat(report.get("calibration_sha256").asText()).isEqualTo(calibration.sha256());
    assertThat(report.get("version").asText())
        .isEqualTo(calibration.version())
        .isEqualTo(dir.getFileName().toString());
  }
}
