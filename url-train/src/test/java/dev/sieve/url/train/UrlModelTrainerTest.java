package dev.sieve.url.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.url.features.FeatureBuffer;
import dev.sieve.url.features.Vocabulary;
import dev.sieve.url.model.LexicalUrlModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlModelTrainerTest {

  @TempDir static Path home;
  static DatasetVersion dataset;
  static UrlModelTrainer.Trained first;

  @BeforeAll
  static void train() {
    dataset = TrainingFixture.install(home);
    first = new UrlModelTrainer(TrainingFixture.options()).train(dataset, "test");
  }

  @Test
  void sameSeedGivesIdenticalWeights() {
    UrlModelTrainer.Trained again =
        new UrlModelTrainer(TrainingFixture.options().withThreads(2)).train(dataset, "test");
    assertThat(again.weights()).isEqualTo(first.weights());
    assertThat(again.bias()).isEqualTo(first.bias());
    assertThat(again.scale()).isEqualTo(first.scale());
    assertThat(again.manifest().categories()).isEqualTo(first.manifest().categories());
    assertThat(again.manifest().version()).isEqualTo(first.manifest().version());
  }

  @Test
  void differentSeedGivesDifferentWeights() {
    UrlModelTrainer.Trained other =
        new UrlModelTrainer(TrainingFixture.options().withSeed(99)).train(dataset, "test");
    assertThat(other.weights()).isNotEqualTo(first.weights());
  }

  @Test
  void onlyCategoriesWithEnoughTrainingPositivesGetAModel() {
    assertThat(first.model().categories()).containsExactly("adult", "gambling", "games");
  }

  @Test
  void theModelLearnsSomethingOnDev() {
    for (UrlModelTrainer.DevCategory d : first.dev()) {
      assertThat(d.devAveragePrecision()).as(d.category()).isGreaterThan(0.5);
      assertThat(d.threshold().backgroundFlagRate())
          .as(d.category())
          .isLessThanOrEqualTo(TrainingFixture.options().backgroundBudget(d.category()));
    }
  }

  @Test
  void servingPathReproducesTrainingFeaturesAndScores() throws Exception {
    LexicalUrlModel model = first.model();
    DomainExamples examples = first.examples();
    double[] fromMatrix = new double[model.categories().size()];
    for (int i = 0; i < examples.size(); i++) {
      FeatureBuffer served =
          model
              .featurizer()
              .featurize(UrlNormalizer.instance().normalize("http://" + examples.host(i) + "/"));
      assertThat(served.bucketsCopy()).as(examples.host(i)).isEqualTo(first.matrix().row(i));
      model.rawLogits(
          first.matrix().buckets(),
          first.matrix().rowStart(i),
          first.matrix().rowEnd(i),
          fromMatrix);
      var prediction =
          model.predict(
              UrlNormalizer.instance()
                  .normalize("https://" + examples.host(i).toUpperCase() + ":443/#x"));
      for (int j = 0; j < fromMatrix.length; j++) {
        // case, the https default port and the fragment normalize away: same features, same score.
        assertThat(prediction.logit(j)).as(examples.host(i)).isEqualTo(fromMatrix[j]);
      }
    }
  }

  @Test
  void vocabularyComesFromTheTrainSplitOnly() {
    Vocabulary vocabulary = first.vocabulary();
    assertThat(vocabulary.counts()).containsKeys("casino", "online", "games");
    assertThat(vocabulary.counts()).doesNotContainKey("zanzibarqux"); // a test-split text
  }

  @Test
  void vocabularyBuilderCountsOnlyTrainHostsWithExplicitWordBoundaries() {
    List<DomainRecord> domains =
        List.of(
            record("free-casino.com", "train"),
            record("casino-royal.com", "train"),
            record("casino7bonus.com", "train"),
            record("secret-words.com", "dev"),
            record("secret-words.net", "test"),
            record("concatenatedlabel.com", "train"));
    DomainExamples examples = DomainExamples.of(List.of("gambling"), "ds", domains, List.of());
    Vocabulary vocabulary = new VocabularyBuilder().addTrainHosts(examples).build(1, 100);
    assertThat(vocabulary.counts())
        .containsEntry("casino", 3L)
        .containsKeys("free", "royal", "bonus");
    assertThat(vocabulary.counts())
        .doesNotContainKeys("secret", "words", "concatenatedlabel", "com");
  }

  private static DomainRecord record(String host, String split) {
    return new DomainRecord(
        host,
        host,
        List.of("gambling"),
        List.of("gambling"),
        Map.of("l", List.of("gambling")),
        split,
        List.of(),
        0);
  }
}
