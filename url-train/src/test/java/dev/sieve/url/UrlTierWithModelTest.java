package dev.sieve.url;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.url.features.FeatureConfig;
import dev.sieve.url.table.KnownDomainTableLoader;
import dev.sieve.url.train.UrlModelTrainer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table and model together: the table wins where it has an entry, the model scores the rest. */
class UrlTierWithModelTest {

  @TempDir static Path home;
  static UrlTierScorer scorer;
  static UrlModelTrainer.Trained trained;

  @BeforeAll
  static void setUp() {
    DatasetVersion training =
        DatasetVersion.open(FixtureDatasets.install("train", home.resolve("train")));
    trained =
        new UrlModelTrainer(
                UrlModelTrainer.Options.defaults()
                    .withFeatures(FeatureConfig.defaults().withHashBits(16))
                    .withThreads(1))
            .train(training, "test");
    DatasetVersion tableData =
        DatasetVersion.open(FixtureDatasets.install("table", home.resolve("table")));
    scorer =
        new UrlTierScorer(
            KnownDomainTableLoader.forServing(Set.of()).load(tableData), trained.model());
  }

  static Map<String, CategoryScore> byCategory(ScoreResponse response) {
    return response.getScoresList().stream()
        .collect(Collectors.toMap(CategoryScore::getCategory, s -> s));
  }

  @Test
  void tableEntryWinsForItsCategoriesAndTheModelScoresTheRest() throws Exception {
    ScoreResponse response =
        scorer.score(ScoreRequest.newBuilder().setUrl("https://www.pokerstars.com/").build());
    Map<String, CategoryScore> scores = byCategory(response);
    assertThat(scores.get("gambling").getDefinitive()).isTrue();
    assertThat(scores.get("gambling").getScore()).isEqualTo(1.0);
    assertThat(scores.get("gambling").getEvidence(0).getKind())
        .isEqualTo(Evidence.Kind.KIND_LIST_MATCH);
    assertThat(scores.get("games").getDefinitive()).isTrue();
    CategoryScore adult = scores.get("adult");
    assertThat(adult.getDefinitive()).isFalse();
    assertThat(adult.getScore()).isBetween(0.0, 1.0);
    assertThat(adult.getEvidenceList()).allMatch(e -> e.getKind() == Evidence.Kind.KIND_FEATURE);
    assertThat(response.getModel().getName()).isEqualTo("url-table+url-lexical");
    assertThat(response.getModel().getDatasetVersion())
        .isEqualTo("table=ds-fixture-table;model=ds-fixture-train");
  }

  @Test
  void unlistedHostIsScoredByTheModelWithFeatureEvidence() throws Exception {
    ScoreResponse response =
        scorer.score(
            ScoreRequest.newBuilder().setUrl("http://best-online-casino-bonus.xyz/").build());
    Map<String, CategoryScore> scores = byCategory(response);
    assertThat(scores.keySet()).contains("adult", "gambling", "games");
    CategoryScore gambling = scores.get("gambling");
    assertThat(gambling.getDefinitive()).isFalse();
    assertThat(gambling.getScore()).isGreaterThan(scores.get("adult").getScore());
    assertThat(gambling.getEvidenceList()).isNotEmpty();
    Evidence top = gambling.getEvidence(0);
    assertThat(top.getKind()).isEqualTo(Evidence.Kind.KIND_FEATURE);
    assertThat(top.getWeight()).isPositive();
    assertThat(top.getSource()).startsWith("url-lexical/v1-");
    var features =
        trained
            .model()
            .featurizer()
            .featurize(UrlNormalizer.instance().normalize("http://best-online-casino-bonus.xyz/"));
    Set<String> described = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      described.add(features.describe(i));
    }
    assertThat(gambling.getEvidenceList()).allMatch(e -> described.contains(e.getDetail()));
    assertThat(gambling.getEvidenceList())
        .anyMatch(e -> e.getDetail().contains("sin") || e.getDetail().contains("casino"));
    for (int i = 1; i < gambling.getEvidenceCount(); i++) {
      assertThat(gambling.getEvidence(i).getWeight())
          .isLessThanOrEqualTo(gambling.getEvidence(i - 1).getWeight());
    }
  }

  @Test
  void ipLiteralIsScoredByTheModel() throws Exception {
    ScoreResponse response =
        scorer.score(ScoreRequest.newBuilder().setUrl("http://198.51.100.23/").build());
    assertThat(byCategory(response).keySet())
        .containsExactlyInAnyOrder("adult", "gambling", "games");
    assertThat(response.getScoresList()).noneMatch(CategoryScore::getDefinitive);
  }

  @Test
  void describeListsTableAndModelCategories() {
    assertThat(scorer.describe().getCategoriesList())
        .contains("adult", "gambling", "games", "dating", "shopping");
  }
}
