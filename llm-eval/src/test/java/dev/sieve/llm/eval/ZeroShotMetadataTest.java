package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.llm.embedded.EmbeddedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The released version carries the evaluation standard's model-metadata.json, produced by code from
 * its training report (not typed by hand), readable by the standard's card generator, naming the
 * version's own files as artifacts. The tier's own report is training-report.*; the standard's
 * model-card.* is written by {@code ./sieve eval run --tier llm}.
 */
class ZeroShotMetadataTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path released() {
    return EmbeddedModel.releasedVersion(EmbeddedModel.modelRoot(Path.of(".."))).orElseThrow();
  }

  @Test
  void releasedMetadataIsReadableByTheStandardAndDescribesItsDirectory() {
    Path dir = released();
    ModelMetadata meta = ModelMetadata.read(dir.resolve(ModelMetadata.FILE));
    assertThat(meta.name()).isEqualTo("llm-zero-shot");
    assertThat(meta.version()).isEqualTo(dir.getFileName().toString());
    assertThat(meta.tier()).isEqualTo("llm");
    assertThat(meta.date()).isNotBlank();
    assertThat(meta.artifacts()).containsExactly(EmbeddedModel.CALIBRATION);
    meta.artifacts().forEach(a -> assertThat(dir.resolve(a)).isRegularFile());
    assertThat(meta.caveats()).anyMatch(c -> c.startsWith("Near-random on the test split"));
    assertThat(dir.resolve(TrainingReportWriter.JSON)).isRegularFile();
    assertThat(dir.resolve(TrainingReportWriter.MARKDOWN))
        .content()
        .startsWith("# Training report: llm-zero-shot");
  }

  @Test
  void releasedMetadataIsWhatTheCodeDerivesFromTheTrainingReport(@TempDir Path copy)
      throws Exception {
    Path dir = released();
    ObjectNode shipped = (ObjectNode) JSON.readTree(dir.resolve(ZeroShotMetadata.FILE).toFile());
    Files.copy(dir.resolve(TrainingReportWriter.JSON), copy.resolve(TrainingReportWriter.JSON));
    ZeroShotEvalCommand.rewriteMetadata(
        copy, shipped.get("date").asText(), shipped.get("code_commit").asText());
    assertThat(JSON.readTree(copy.resolve(ZeroShotMetadata.FILE).toFile()))
        .as(
            "%s is stale: rerun ./sieve llm-eval --metadata-only %s",
            dir.resolve(ZeroShotMetadata.FILE), dir)
        .isEqualTo(shipped);
  }

  @Test
  void aReportWithoutTheBuildDateGivesNoMetadata() throws Exception {
    ObjectNode report =
        (ObjectNode) JSON.readTree(released().resolve(TrainingReportWriter.JSON).toFile());
    report.remove("date");
    assertThatThrownBy(() -> ZeroShotMetadata.from(report)).hasMessageContaining("'date'");
  }
}
