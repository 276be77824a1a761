package dev.sieve.content.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights saved as DJL .params load back into the Java-defined block with identical outputs. */
class ContentHeadTest {

  @Test
  void saveLoadRoundTripGivesIdenticalLogits(@TempDir Path dir) throws Exception {
    HeadArchitecture architecture = new HeadArchitecture(16, 8, 0.1f, 3);
    DjlRuntime.configure();
    float[] features = new float[5 * 16];
    Random random = new Random(7);
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    float[][] before;
    try (Model model =
        Model.newInstance(ContentHead.PARAMS_PREFIX, Device.cpu(), ContentHead.ENGINE)) {
      model.setBlock(architecture.build());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 16));
      before = ContentHead.wrap(model, architecture).logits(features, 5);
      Path params = ContentHead.save(model, dir);
      assertThat(params).exists();
      assertThat(Files.size(params)).isLessThan(10_000);
    }
    try (ContentHead loaded = ContentHead.load(dir, architecture, Device.cpu())) {
      float[][] after = loaded.logits(features, 5);
      for (int r = 0; r < 5; r++) {
        assertThat(after[r]).containsExactly(before[r]);
      }
      // Dropout is inactive at inference: the same input gives the same output twice.
      assertThat(loaded.logits(features, 5)[0]).containsExactly(after[0]);
    }
    assertThat(new ParameterStore()).isNotNull();
  }

  @Test
  void weightsOfAnotherArchitectureAreRefused(@TempDir Path dir) {
    HeadArchitecture architecture = new HeadArchitecture(16, 8, 0.1f, 3);
    try (Model model =
        Model.newInstance(ContentHead.PARAMS_PREFIX, Device.cpu(), ContentHead.ENGINE)) {
      model.setBlock(architecture.build());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 16));
      ContentHead.save(model, dir);
    }
    Assertions.assertThatThrownBy(
            () -> ContentHead.load(dir, new HeadArchitecture(16, 9, 0.1f, 3), Device.cpu()))
        .isInstanceOf(RuntimeException.class);
  }
}
