package dev.sieve.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** loso.json: what the trainers write next to a model and the card and gate read back. */
class LeaveOneSourceOutTest {

  static LeaveOneSourceOut sample() {
    return new LeaveOneSourceOut(
        "retrained without each source",
        "ds-1",
        List.of(
            new LeaveOneSourceOut.Fold(
                "reddit",
                120,
                List.of(
                    new LeaveOneSourceOut.FoldCategory(
                        "self_harm",
                        80,
                        40,
                        0.8123,
                        new Estimate(0.625, 0.516, 0.722),
                        0.95,
                        new Estimate(0.025, 0.004, 0.129),
                        0.0))),
            new LeaveOneSourceOut.Fold(
                "ordinary/openstax",
                900,
                List.of(
                    new LeaveOneSourceOut.FoldCategory(
                        "adult",
                        0,
                        900,
                        0.5,
                        null,
                        null,
                        new Estimate(0.002, 0.0006, 0.008),
                        0.001)))));
  }

  @Test
  void writesSnakeCaseJsonAndReadsItBackEqual(@TempDir Path dir) throws Exception {
    LeaveOneSourceOut loso = sample();
    loso.write(dir.resolve(LeaveOneSourceOut.FILE));
    String json = Files.readString(dir.resolve(LeaveOneSourceOut.FILE));
    assertThat(json)
        .contains("\"dataset_version\" : \"ds-1\"")
        .contains("\"recall_held_out\"")
        .contains("\"flag_rate_in_distribution\"")
        .doesNotContain("datasetVersion");
    assertThat(LeaveOneSourceOut.read(dir)).contains(loso);
  }

  @Test
  void theDropIsInDistributionMinusHeldOutWhenBothExist() {
    LeaveOneSourceOut loso = sample();
    assertThat(loso.folds().get(0).categories().get(0).recallDrop()).isEqualTo(0.95 - 0.625);
    assertThat(loso.folds().get(1).categories().get(0).recallDrop()).isNull();
    assertThat(
            new LeaveOneSourceOut.FoldCategory(
                    "x", 1, 0, 0.5, new Estimate(null, null, null), 0.9, null, null)
                .recallDrop())
        .isNull();
  }

  @Test
  void aModelWithoutTheFileHasNoReportAndABrokenFileIsAnError(@TempDir Path dir) throws Exception {
    assertThat(LeaveOneSourceOut.read(dir)).isEmpty();
    assertThat(LeaveOneSourceOut.read(null)).isEmpty();
    // Fields written by a newer trainer are ignored; a file that is not JSON is not silently
    // skipped.
    Files.writeString(
        dir.resolve(LeaveOneSourceOut.FILE),
        "{\"method\": \"m\", \"dataset_version\": \"ds\", \"folds\": [], \"written_by\": \"future\"}");
    assertThat(LeaveOneSourceOut.read(dir)).contains(new LeaveOneSourceOut("m", "ds", List.of()));
    Files.writeString(dir.resolve(LeaveOneSourceOut.FILE), "not json");
    assertThatThrownBy(() -> LeaveOneSourceOut.read(dir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(LeaveOneSourceOut.FILE);
  }
}
