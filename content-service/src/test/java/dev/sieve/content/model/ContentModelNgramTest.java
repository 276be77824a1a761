package dev.sieve.content.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sieve.core.util.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A content model fused with its n-gram model: each category's logit is (1 - w) * head + w * n-gram
 * (page: over its joined chunk texts; chunk: over its own text) before calibration, and a model
 * refuses an n-gram artifact its configuration does not describe.
 */
class ContentModelNgramTest {

  static final int DIM = 8;
  static final HeadArchitecture ARCHITECTURE = new HeadArchitecture(2 * DIM, 8, 0.1f, 2);
  static final List<String> CATEGORIES = List.of("gambling", "education");

  @TempDir static Path dir;
  static Path params;
  static ContentHead head;
  static NgramModel ngram;

  @BeforeAll
  static void headAndNgram() {
    DjlRuntime.configure();
    try (Model model =
        Model.newInstance(ContentHead.PARAMS_PREFIX, Device.cpu(), ContentHead.ENGINE)) {
      model.setBlock(ARCHITECTURE.build());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2 * DIM));
      params = ContentHead.save(model, dir);
    }
    head = ContentHead.load(dir, ARCHITECTURE, Device.cpu());
    Random random = new Random(11);
    int buckets = 1 << 8;
    float[] idf = new float[buckets];
    Arrays.fill(idf, 1.3f);
    float[][] weights = new float[2][buckets];
    for (float[] row : weights) {
      for (int i = 0; i < buckets; i++) {
        row[i] = (float) (random.nextGaussian() * 2);
      }
    }
    ngram = new NgramModel(8, idf, weights, new float[] {0.3f, -0.2f});
  }

  @AfterAll
  static void close() {
    head.close();
  }

  static HeadConfig config(double gamblingWeight) {
    List<CategoryConfig> categories =
        List.of(
            new CategoryConfig(
                "gambling", true, "", PlattCalibration.IDENTITY, 0.5, "fixed", gamblingWeight),
            new CategoryConfig(
                "education", true, "", PlattCalibration.IDENTITY, 0.5, "fixed", 0.0));
    return new HeadConfig(
        "content-test",
        "t1",
        "2026-01-01T00:00:00Z",
        "v1.1",
        "fixture/mean/128",
        90,
        16,
        HeadConfig.POOLING_MEAN_MAX,
        1f,
        ARCHITECTURE,
        categories,
        "ds-test",
        null,
        params.getFileName().toString(),
        Sha256.ofFile(params),
        0,
        "test");
  }

  static List<float[][]> pages() {
    Random random = new Random(5);
    List<float[][]> out = new ArrayList<>();
    for (int chunks : new int[] {2, 1, 0}) {
      float[][] page = new float[chunks][DIM];
      for (float[] chunk : page) {
        for (int i = 0; i < DIM; i++) {
          chunk[i] = (float) random.nextGaussian();
        }
      }
      out.add(page);
    }
    return out;
  }

  static final List<List<String>> TEXTS =
      List.of(
          List.of("Play casino slots tonight", "and win the jackpot"),
          List.of("The school library opens at eight"),
          List.of());

  static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  @Test
  void eachCategoryFusesItsOwnWeightForThePageAndForEveryChunk() {
    ContentModel headOnly = new ContentModel(dir, config(0), "sha", null, head, Optional.empty());
    ContentModel fused =
        new ContentModel(
            dir,
            config(0.25).withNgram(NgramModel.FILE, "x", config(0.25).categories()),
            "sha",
            null,
            head,
            Optional.empty(),
            ngram);
    List<ContentModel.PageScores> alone = headOnly.scoreEmbeddings(pages()).pages();
    List<ContentModel.PageScores> both = fused.scoreEmbeddings(pages(), TEXTS).pages();
    assertThat(fused.ngram()).containsSame(ngram);
    assertThat(headOnly.ngram()).isEmpty();

    for (int p = 0; p < 2; p++) {
      double[] n = ngram.logits(String.join(" ", TEXTS.get(p)));
      assertThat(both.get(p).logits()[0])
          .isCloseTo(0.75 * alone.get(p).logits()[0] + 0.25 * n[0], within(1e-9));
      // Weight 0: the head alone, bit for bit, whatever the n-gram model says.
      assertThat(both.get(p).logits()[1]).isEqualTo(alone.get(p).logits()[1]);
      assertThat(both.get(p).calibrated()[0])
          .isCloseTo(PlattCalibration.IDENTITY.apply(both.get(p).logits()[0]), within(1e-12));
      for (int c = 0; c < TEXTS.get(p).size(); c++) {
        double chunkHead = logit(alone.get(p).chunkCalibrated()[c][0]);
        double chunkNgram = ngram.logits(TEXTS.get(p).get(c))[0];
        assertThat(both.get(p).chunkCalibrated()[c][0])
            .isCloseTo(
                PlattCalibration.IDENTITY.apply(0.75 * chunkHead + 0.25 * chunkNgram),
                within(1e-9));
        assertThat(both.get(p).chunkCalibrated()[c][1])
            .isEqualTo(alone.get(p).chunkCalibrated()[c][1]);
      }
    }
    assertThat(both.get(2)).isNull(); // a page without chunks: no opinion
    assertThatThrownBy(() -> fused.scoreEmbeddings(pages()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("score with the chunk texts");
  }

  @Test
  void aFusedConfigurationNeedsItsNgramModelWithOneOutputPerCategory() {
    assertThatThrownBy(
            () -> new ContentModel(dir, config(0.5), "sha", null, head, Optional.empty(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fuses an n-gram model but none was loaded");
    NgramModel three = new NgramModel(8, new float[256], new float[3][256], new float[3]);
    assertThatThrownBy(
            () -> new ContentModel(dir, config(0), "sha", null, head, Optional.empty(), three))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("n-gram model has 3 outputs, the head 2");
  }

  @Test
  void loadingRefusesAnNgramArtifactWhoseShaDiffersFromTheConfiguration(@TempDir Path version)
      throws Exception {
    Files.copy(params, version.resolve(params.getFileName()));
    Path file = version.resolve(NgramModel.FILE);
    ngram.write(file);
    HeadConfig base = config(0.25);

    base.withNgram(NgramModel.FILE, "0".repeat(64), base.categories())
        .write(version.resolve(HeadConfig.FILE));
    assertThatThrownBy(() -> ContentModel.load(version, null, Device.cpu()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("n-gram model " + file + " has SHA-256 " + Sha256.ofFile(file))
        .hasMessageContaining("expects " + "0".repeat(64))
        .hasMessageContaining("refusing to serve an artifact its card does not describe");

    base.withNgram("missing.bin.gz", Sha256.ofFile(file), base.categories())
        .write(version.resolve(HeadConfig.FILE));
    assertThatThrownBy(() -> ContentModel.load(version, null, Device.cpu()))
        .hasMessageContaining("has SHA-256 (missing)");

    base.withNgram(NgramModel.FILE, Sha256.ofFile(file), base.categories())
        .write(version.resolve(HeadConfig.FILE));
    try (ContentModel loaded = ContentModel.load(version, null, Device.cpu())) {
      assertThat(loaded.ngram()).isPresent();
      ContentModel direct = new ContentModel(dir, base, "sha", null, head, Optional.empty(), ngram);
      assertThat(loaded.scoreEmbeddings(pages(), TEXTS).pages().get(0).logits())
          .containsExactly(direct.scoreEmbeddings(pages(), TEXTS).pages().get(0).logits());
    }
  }
}
