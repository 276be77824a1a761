package dev.sieve.url.train;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.url.FixtureDatasets;
import dev.sieve.url.features.FeatureConfig;
import java.nio.file.Path;

/** The small real-data training fixture, installed as a dataset version. */
final class TrainingFixture {

  private TrainingFixture() {}

  static DatasetVersion install(Path home) {
    return DatasetVersion.open(FixtureDatasets.install("train", home));
  }

  /** Fast options for tests: defaults, but a smaller hash space and one thread. */
  static UrlModelTrainer.Options options() {
    return UrlModelTrainer.Options.defaults()
        .withFeatures(FeatureConfig.defaults().withHashBits(16))
        .withThreads(1);
  }
}
