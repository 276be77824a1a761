package dev.sieve.url.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.url.FixtureDatasets;
import dev.sieve.url.features.FeatureConfig;
import dev.sieve.url.train.UrlModelTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactsTest {

  @TempDir static Path home;
  static UrlModelTrainer.Trained trained;
  static Path root;
  static LexicalUrlModel loaded;

  @BeforeAll
  static void trainSaveLoad() {
    var dataset = DatasetVersion.open(FixtureDatasets.install("train", home));
    trained =
        new UrlModelTrainer(
                UrlModelTrainer.Options.defaults()
                    .withFeatures(FeatureConfig.defaults().withHashBits(16))
                    .withThreads(1))
            .train(dataset, "test-commit");
    root = home.resolve("models").resolve(LexicalUrlModel.NAME);
    UrlModelTrainer.save(trained, root);
    loaded = LexicalUrlModel.load(root.resolve(trained.manifest().version()));
  }

  @Test
  void roundTripPreservesWeightsCalibrationAndScores() throws Exception {
    assertThat(loaded.weights()).isEqualTo(trained.weights());
    assertThat(loaded.bias()).isEqualTo(trained.bias());
    assertThat(loaded.scale()).isEqualTo(trained.scale());
    assertThat(loaded.categories()).isEqualTo(trained.model().categories());
    assertThat(loaded.manifest().categories()).isEqualTo(trained.manifest().categories());
    assertThat(loaded.manifest().features()).isEqualTo(trained.manifest().features());
    assertThat(loaded.featurizer().vocabulary().counts()).isEqualTo(trained.vocabulary().counts());
    assertThat(loaded.datasetVersion()).isEqualTo("ds-fixture-train");
    assertThat(loaded.manifest().codeCommit()).isEqualTo("test-commit");
    assertThat(loaded.configHash()).hasSize(64);
    for (String url :
        List.of(
            "http://freecasinobonus.net/",
            "http://sexy-cams.xyz/",
            "https://www.wikipedia.org/",
            "http://10.0.0.1/")) {
      var a = trained.model().predict(UrlNormalizer.instance().normalize(url));
      var b = loaded.predict(UrlNormalizer.instance().normalize(url));
      for (int j = 0; j < loaded.categories().size(); j++) {
        assertThat(b.probability(j)).as(url).isEqualTo(a.probability(j));
      }
    }
  }

  @Test
  void artifactsAreSmallAndHashed() throws Exception {
    Path dir = root.resolve(trained.manifest().version());
    assertThat(Files.size(dir.resolve(ModelArtifacts.WEIGHTS))).isLessThan(1_000_000);
    assertThat(loaded.manifest().artifacts())
        .containsKeys(ModelArtifacts.WEIGHTS, ModelArtifacts.VOCABULARY);
  }

  @Test
  void tamperedArtifactIsRefused() throws Exception {
    Path copy = home.resolve("tampered");
    Files.createDirectories(copy);
    Path dir = root.resolve(trained.manifest().version());
    for (String f :
        List.of(ModelArtifacts.MANIFEST, ModelArtifacts.WEIGHTS, ModelArtifacts.VOCABULARY)) {
      Files.copy(dir.resolve(f), copy.resolve(f));
    }
    byte[] vocab = Files.readAllBytes(copy.resolve(ModelArtifacts.VOCABULARY));
    vocab[vocab.length / 2] ^= 1;
    Files.write(copy.resolve(ModelArtifacts.VOCABULARY), vocab);
    assertThatThrownBy(() -> LexicalUrlModel.load(copy))
        .hasMessageContaining("does not match model.json");
  }

  @Test
  void releasedPointerIsFollowedAndValidated() throws Exception {
    assertThat(LexicalUrlModel.loadReleased(root)).isEmpty();
    Files.writeString(root.resolve(ModelArtifacts.RELEASED), trained.manifest().version() + "\n");
    assertThat(LexicalUrlModel.loadReleased(root))
        .get()
        .extracting(LexicalUrlModel::version)
        .isEqualTo(trained.manifest().version());
    Files.writeString(root.resolve(ModelArtifacts.RELEASED), "v-missing\n");
    assertThatThrownBy(() -> LexicalUrlModel.loadReleased(root))
        .hasMessageContaining("not a directory");
    Files.delete(root.resolve(ModelArtifacts.RELEASED));
  }
}
