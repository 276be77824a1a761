package dev.sieve.content.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json stays readable across versions: a head written before n-gram fusion loads as
 * head-only.
 */
class HeadConfigTest {

  /** A configuration as trainers wrote it before n-gram fusion (no ngram_* keys anywhere). */
  static final String BEFORE_FUSION =
      """
      {
        "name" : "content-minilm-mlp",
        "version" : "20261125-8224cdad",
        "created" : "2026-11-25T22:18:53.358204206Z",
        "taxonomy_version" : "v1",
        "encoder" : "all-minilm-l6-v2-q/mean/128",
        "words_per_chunk" : 90,
        "max_chunks" : 16,
        "pooling" : "mean+max",
        "input_scale" : 19.595919,
        "architecture" : { "input_dim" : 768, "hidden" : 256, "dropout" : 0.5, "outputs" : 2 },
        "categories" : [ {
          "category" : "adult", "served" : true, "reason" : "",
          "calibration" : { "a" : 0.6364431286342154, "b" : -0.6125784782818059 },
          "threshold" : 0.080557747998079, "threshold_rule" : "recall_floor_dev:0.90"
        }, {
          "category" : "weapons", "served" : false,
          "reason" : "insufficient data: dev positives 18 < 30; test positives 13 < 30",
          "calibration" : { "a" : 1.0, "b" : 0.0 },
          "threshold" : 0.9305667525993742, "threshold_rule" : "max_f1_dev"
        } ],
        "dataset_version" : "ds-1a0071be7453",
        "training" : { "epochs" : 12 },
        "artifact_file" : "content-head-0000.params",
        "artifact_sha256" : "ab12",
        "artifact_bytes" : 812345,
        "code_commit" : "0123456"
      }
      """;

  @Test
  void aConfigurationWrittenBeforeFusionLoadsAsAHeadAlone(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(HeadConfig.FILE);
    Files.writeString(file, BEFORE_FUSION);
    HeadConfig config = HeadConfig.read(file);
    assertThat(config.ngramFile()).isNull();
    assertThat(config.ngramSha256()).isNull();
    assertThat(config.categories())
        .extracting(CategoryConfig::ngramWeight)
        .containsExactly(0.0, 0.0);
    assertThat(config.categoryIds()).containsExactly("adult", "weapons");
    assertThat(config.servedCategoryIds()).containsExactly("adult");
    assertThat(config.category("adult").orElseThrow().threshold()).isEqualTo(0.080557747998079);
    // Written back, a head-only configuration names no n-gram artifact.
    config.write(dir.resolve("again.json"));
    String again = Files.readString(dir.resolve("again.json"));
    assertThat(again).doesNotContain("ngram_file").doesNotContain("ngram_sha256");
    assertThat(HeadConfig.read(dir.resolve("again.json"))).isEqualTo(config);
  }

  @Test
  void aFusedConfigurationKeepsItsArtifactAndWeightsThroughJson(@TempDir Path dir) {
    HeadConfig head = HeadConfig.read(write(dir, BEFORE_FUSION));
    List<CategoryConfig> fused =
        List.of(
            new CategoryConfig(
                "adult",
                true,
                "",
                new PlattCalibration(0.9, -0.1),
                0.3,
                "recall_floor_dev:0.90",
                0.5),
            new CategoryConfig(
                "weapons", false, "few", PlattCalibration.IDENTITY, 0.9, "max_f1_dev", 0.0));
    HeadConfig config = head.withNgram(NgramModel.FILE, "cd34", fused);
    assertThat(config.artifactSha256()).isEqualTo(head.artifactSha256());
    assertThat(config.training()).isEqualTo(Map.of("epochs", 12));
    config.write(dir.resolve("fused.json"));
    HeadConfig read = HeadConfig.read(dir.resolve("fused.json"));
    assertThat(read).isEqualTo(config);
    assertThat(read.ngramFile()).isEqualTo("ngram-weights.bin.gz");
    assertThat(read.ngramSha256()).isEqualTo("cd34");
    assertThat(read.categories()).extracting(CategoryConfig::ngramWeight).containsExactly(0.5, 0.0);
    // The head-only constructor of a category is fusion weight 0.
    assertThat(new CategoryConfig("x", true, "", PlattCalibration.IDENTITY, 0.5, "r").ngramWeight())
        .isZero();
  }

  private static Path write(Path dir, String json) {
    try {
      return Files.writeString(dir.resolve("config-in.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
