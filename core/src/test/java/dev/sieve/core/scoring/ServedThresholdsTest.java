package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedThresholdsTest {

  private static String file(String selectedOn, String space, String adult) {
    return """
        {"format":"sieve-thresholds/1","selected_on":"%s","dataset_version":"ds-1","score_space":"%s",
         "categories":{"adult":{"threshold":%s,"rule":"max F1"},"gambling":{"threshold":0.25}}}
        """
        .formatted(selectedOn, space, adult);
  }

  @Test
  void absentFileMeansTheTrainersThresholds(@TempDir Path dir) {
    assertThat(ServedThresholds.load(dir)).isEmpty();
  }

  @Test
  void readsDevThresholdsOnTheTiersOwnScale(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(ServedThresholds.FILE), file("dev", "raw", "0.8"));
    ServedThresholds t = ServedThresholds.load(dir).orElseThrow();
    assertThat(t.values()).containsEntry("adult", 0.8).containsEntry("gambling", 0.25);
    assertThat(t.datasetVersion()).isEqualTo("ds-1");
    assertThat(t.thresholdOr("adult", 0.5)).isEqualTo(0.8);
    assertThat(t.thresholdOr("news", 0.4)).isEqualTo(0.4);
  }

  @Test
  void refusesWhatServingCannotHonour(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(ServedThresholds.FILE);
    Files.writeString(f, file("test", "raw", "0.8"));
    assertThatThrownBy(() -> ServedThresholds.load(dir)).hasMessageContaining("selected on 'test'");
    Files.writeString(f, file("dev", "calibrated", "0.8"));
    assertThatThrownBy(() -> ServedThresholds.load(dir))
        .hasMessageContaining("score_space 'calibrated'");
    Files.writeString(f, file("dev", "raw", "1.5"));
    assertThatThrownBy(() -> ServedThresholds.load(dir))
        .hasMessageContaining("categories.adult.threshold");
    Files.writeString(f, "{not json");
    assertThatThrownBy(() -> ServedThresholds.load(dir)).hasMessageContaining("not valid JSON");
  }
}
