package dev.sieve.url.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.eval.Example;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerFactory;
import dev.sieve.eval.scoring.TierBaseline;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import dev.sieve.url.FixtureDatasets;
import dev.sieve.url.UrlTierScorer;
import dev.sieve.url.features.FeatureConfig;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.ModelArtifacts;
import dev.sieve.url.table.KnownDomainTableLoader;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import dev.sieve.url.train.UrlModelTrainer;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval module finds the url tier through ServiceLoader and scores the lexical model alone on
 * the probability scale; serving then aligns exactly the thresholds the evaluation wrote.
 */
class UrlScorerProviderTest {

  /** Not in the table fixture: the serving tier scores it with the model too. */
  private static final String UNLISTED = "best-online-casino-bonus.xyz";

  @TempDir static Path home;
  static Path modelRoot;
  static Path dir;
  static LoadedTable table;

  @BeforeAll
  static void model() {
    DatasetVersion training =
        DatasetVersion.open(FixtureDatasets.install("train", home.resolve("train")));
    UrlModelTrainer.Trained trained =
        new UrlModelTrainer(
                UrlModelTrainer.Options.defaults()
                    .withFeatures(FeatureConfig.defaults().withHashBits(16))
                    .withThreads(1))
            .train(training, "test");
    modelRoot = home.resolve("models").resolve(LexicalUrlModel.NAME);
    dir = modelRoot.resolve(UrlModelTrainer.save(trained, modelRoot).version());
    table =
        KnownDomainTableLoader.forServing(Set.of())
            .load(DatasetVersion.open(FixtureDatasets.install("table", home.resolve("table"))));
  }

  @AfterEach
  void removeThresholds() throws Exception {
    Files.deleteIfExists(dir.resolve(ServedThresholds.FILE));
    Files.deleteIfExists(modelRoot.resolve(ModelArtifacts.RELEASED));
  }

  @Test
  void theCardGetsTheTierAsDeployedAndUt1sAdultExpressions() throws Exception {
    DatasetVersion tableData =
        DatasetVersion.open(FixtureDatasets.install("table", home.resolve("card-table")));
    List<TierBaseline> baselines =
        ScorerFactory.provider("url")
            .orElseThrow()
            .baselines(ScorerContext.of(home, dir), tableData);
    assertThat(baselines)
        .extracting(TierBaseline::name)
        .containsExactly("as_deployed", "ut1_adult_expressions");
    List<Example> examples =
        List.of(
            Example.of("domain:www.pokerstars.com", "test", Set.of("gambling"), Set.of("gambling")),
            Example.of("domain:" + UNLISTED, "test", Set.of("gambling"), Set.of("gambling")),
            Example.of("domain:overlap.com", "test", Set.of("adult"), Set.of("adult")),
            Example.of(
                "domain:free-porn-videos.example", "test", Set.of("adult"), Set.of("adult")));
    double modelScore;
    TierScorer model = ScorerFactory.create("url", ScorerContext.of(home, dir));
    modelScore =
        model
            .score(ScoreRequest.newBuilder().setUrl("https://" + UNLISTED + "/").build())
            .getScoresList()
            .stream()
            .filter(x -> x.getCategory().equals("gambling"))
            .findFirst()
            .orElseThrow()
            .getScore();
    try (var deployed = baselines.get(0).source();
        var ut1 = baselines.get(1).source()) {
      double[] gambling =
          deployed
              .score(withInputs(examples), List.of("gambling", "adult"))
              .scores()
              .get("gambling");
      assertThat(gambling[0]).as("listed parent domain (train split)").isEqualTo(1.0);
      assertThat(gambling[1]).as("unlisted: the model").isCloseTo(modelScore, Offset.offset(1e-9));
      double[] adult = deployed.score(withInputs(examples), List.of("adult")).scores().get("adult");
      assertThat(adult[2]).as("a test-split host is not in the table").isLessThan(1.0);
      double[] keyword =
          ut1.score(withInputs(examples), List.of("adult", "gambling")).scores().get("adult");
      assertThat(keyword[3]).isEqualTo(1.0);
      assertThat(keyword[0]).isEqualTo(0.0);
    }
  }

  /** Examples as the evaluation builds them from domain records: the host is the input. */
  private static List<Example> withInputs(List<Example> in) {
    return in.stream()
        .map(
            e ->
                new Example(
                    e.id(),
                    e.id().substring("domain:".length()),
                    e.split(),
                    e.labels(),
                    e.scope(),
                    Map.of("input", List.of("url")),
                    Map.of(),
                    List.of(),
                    false))
        .toList();
  }

  @Test
  void providerIsFoundAndServesCalibratedProbabilities() {
    assertThat(ScorerFactory.available()).contains("url");
    assertThat(ScorerFactory.provider("url").orElseThrow()).isInstanceOf(UrlScorerProvider.class);
    assertThat(ScorerFactory.provider("url").orElseThrow().servesCalibratedProbabilities())
        .isTrue();
  }

  @Test
  void describeNamesTheModelDirectoryAndTheCategoriesTheModelScores() {
    LexicalUrlModel model = ModelArtifacts.load(dir);
    TierDescription d = ScorerFactory.create("url", ScorerContext.of(home, dir)).describe();
    assertThat(d.getTier()).isEqualTo("url");
    assertThat(d.getModel().getName()).isEqualTo(LexicalUrlModel.NAME);
    assertThat(d.getModel().getVersion()).isEqualTo(dir.getFileName().toString());
    assertThat(d.getModel().getConfigHash()).isEqualTo(model.configHash());
    assertThat(d.getModel().getDatasetVersion()).isEqualTo("ds-fixture-train");
    // Only the model's categories: the table's (dating, shopping, ...) are not what is evaluated.
    assertThat(d.getCategoriesList()).containsExactlyElementsOf(model.categories());
  }

  @Test
  void scoresAreTheModelsProbabilitiesWithoutTableOrAlignment() throws Exception {
    LexicalUrlModel model = ModelArtifacts.load(dir);
    TierScorer scorer = ScorerFactory.create("url", ScorerContext.of(home, dir));
    // pokerstars.com is a table entry (a definitive 1.0 in serving); the evaluation sees the model
    // only.
    for (String host : new String[] {UNLISTED, "www.pokerstars.com", "198.51.100.23"}) {
      ScoreResponse r =
          scorer.score(ScoreRequest.newBuilder().setUrl(host).setForced(true).build());
      var prediction = model.predict(UrlNormalizer.instance().normalize(host));
      assertThat(r.getScoresCount()).as(host).isEqualTo(model.categories().size());
      for (CategoryScore s : r.getScoresList()) {
        assertThat(s.getDefinitive()).as(host).isFalse();
        assertThat(s.getScore())
            .as(host + " " + s.getCategory())
            .isEqualTo(prediction.probability(model.categories().indexOf(s.getCategory())));
      }
    }
  }

  @Test
  void badInputIsInvalidArgumentAsInServing() {
    TierScorer scorer = ScorerFactory.create("url", ScorerContext.of(home, dir));
    for (String bad :
        new String[] {"", "javascript:alert(1)", "http://:80/", "http://example.com:99999/"}) {
      assertThatThrownBy(() -> scorer.score(ScoreRequest.newBuilder().setUrl(bad).build()))
          .as(bad)
          .isInstanceOfSatisfying(
              ScoringException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void withoutModelDirTheReleasedVersionIsScored() throws Exception {
    assertThatThrownBy(() -> ScorerFactory.create("url", ScorerContext.of(home, null)))
        .hasMessageContaining("RELEASED");
    Files.writeString(modelRoot.resolve(ModelArtifacts.RELEASED), dir.getFileName() + "\n");
    assertThat(
            ScorerFactory.create("url", ScorerContext.of(home, null))
                .describe()
                .getModel()
                .getVersion())
        .isEqualTo(dir.getFileName().toString());
  }

  @Test
  void servingAlignsTheStandardsThresholdsAndFallsBackToTheTrainers() throws Exception {
    LexicalUrlModel model = ModelArtifacts.load(dir);
    double gambling = probability(UrlTierScorer.modelProbabilities(model), "gambling");
    double adult = probability(UrlTierScorer.modelProbabilities(model), "adult");
    double trainerGambling = model.threshold(model.categories().indexOf("gambling"));
    double trainerAdult = model.threshold(model.categories().indexOf("adult"));

    LexicalUrlModel unevaluated = LexicalUrlModel.load(dir);
    assertThat(unevaluated.servedThresholds()).isEmpty();
    assertThat(probability(new UrlTierScorer(table, unevaluated), "gambling"))
        .isEqualTo(ThresholdAlignment.align(gambling, trainerGambling));

    Files.writeString(
        dir.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","dataset_version":"ds-test","score_space":"raw",
         "categories":{"gambling":{"threshold":0.37},"education":{"threshold":0.61}}}
        """);
    LexicalUrlModel evaluated = LexicalUrlModel.load(dir);
    assertThat(evaluated.servedThresholds())
        .get()
        .extracting(ServedThresholds::datasetVersion)
        .isEqualTo("ds-test");
    UrlTierScorer serving = new UrlTierScorer(table, evaluated);
    assertThat(0.37).isNotEqualTo(trainerGambling);
    assertThat(probability(serving, "gambling"))
        .isEqualTo(ThresholdAlignment.align(gambling, 0.37));
    // A category the file does not cover keeps the trainer's threshold.
    assertThat(probability(serving, "adult"))
        .isEqualTo(ThresholdAlignment.align(adult, trainerAdult));
    // The evaluation still scores unaligned probabilities next to a thresholds.json.
    assertThat(probability(ScorerFactory.create("url", ScorerContext.of(home, dir)), "gambling"))
        .isEqualTo(gambling);
  }

  @Test
  void aThresholdsFileServingCannotHonourFailsLoadingButNotTheEvaluationThatReplacesIt()
      throws Exception {
    Files.writeString(
        dir.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","score_space":"calibrated",
         "categories":{"gambling":{"threshold":0.37}}}
        """);
    assertThatThrownBy(() -> LexicalUrlModel.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ServedThresholds.FILE)
        .hasMessageContaining("score_space 'calibrated'");
    assertThat(
            ScorerFactory.create("url", ScorerContext.of(home, dir))
                .describe()
                .getModel()
                .getName())
        .isEqualTo(LexicalUrlModel.NAME);
  }

  private static double probability(TierScorer scorer, String category) throws ScoringException {
    Map<String, Double> scores =
        scorer
            .score(ScoreRequest.newBuilder().setUrl("http://" + UNLISTED + "/").build())
            .getScoresList()
            .stream()
            .collect(Collectors.toMap(CategoryScore::getCategory, CategoryScore::getScore));
    assertThat(scores).containsKey(category);
    return scores.get(category);
  }
}
