package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerFactory;
import dev.sieve.llm.TestFixtures;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.EmbeddedModel;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.TierDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation standard finds the llm tier through ServiceLoader and scores the released
 * zero-shot version through the serving code, on the calibrated-probability scale (never aligned,
 * even when the version already has thresholds), with the lineage the version directory names.
 */
class LlmScorerProviderTest {

  private static final Path HOME = Path.of("..");
  private static final String TEXT =
      "Welcome to Lucky Spin Casino! Play slots and roulette and win real money tonight.";

  private static Path released;
  private static TierScorer scorer;

  @BeforeAll
  static void releasedThroughTheProvider() throws Exception {
    released = EmbeddedModel.releasedVersion(EmbeddedModel.modelRoot(HOME)).orElseThrow();
    scorer =
        ScorerFactory.create(
            "llm", new ScorerContext(HOME, Optional.empty(), Map.of("threads", "2")));
  }

  @AfterAll
  static void close() throws Exception {
    ((AutoCloseable) scorer).close();
  }

  @Test
  void evalFindsTheLlmTierAsSelfCalibrating() {
    assertThat(ScorerFactory.available()).contains("llm");
    assertThat(ScorerFactory.provider("llm").orElseThrow().servesCalibratedProbabilities())
        .isTrue();
    // No weights trained on the dataset: ./sieve eval run computes its leave-one-source-out by
    // re-choosing thresholds without each source (loso.json next to the model).
    assertThat(ScorerFactory.provider("llm").orElseThrow().leaveOneSourceOutByThresholds())
        .isTrue();
    // Texts and real pages by default: the ordinary inputs of the register the tier serves.
    assertThat(ScorerFactory.provider("llm").orElseThrow().defaultInputs())
        .containsExactlyInAnyOrder(DatasetExamples.Inputs.TEXTS, DatasetExamples.Inputs.PAGES);
  }

  @Test
  void describeNamesTheModelVersionDirectoryAndTheServedCategories() {
    TierDescription d = scorer.describe();
    assertThat(d.getTier()).isEqualTo("llm");
    assertThat(d.getModel().getName())
        .isEqualTo("llm-zero-shot")
        .isEqualTo(released.getParent().getFileName().toString());
    assertThat(d.getModel().getVersion()).isEqualTo(released.getFileName().toString());
    assertThat(d.getCategoriesList())
        .containsExactlyElementsOf(TestFixtures.shippedCatalog().ids())
        .contains("self_harm", "ai_chatbots", "cheating");
  }

  @Test
  void scoresAreTheCalibratedProbabilitiesOfTheServingPathUnaligned(@TempDir Path copy)
      throws Exception {
    Map<String, Double> expected = probabilities();
    assertThat(scores(scorer)).isEqualTo(expected);

    // A version that already has the standard's thresholds is still scored unaligned.
    Path version = Files.createDirectories(copy.resolve(released.getFileName()));
    Files.copy(
        released.resolve(EmbeddedModel.CALIBRATION), version.resolve(EmbeddedModel.CALIBRATION));
    Files.writeString(
        version.resolve(ServedThresholds.FILE),
        """
        {"format":"sieve-thresholds/1","selected_on":"dev","dataset_version":"ds-test","score_space":"raw",
         "categories":{"gambling":{"threshold":0.2},"adult":{"threshold":0.9}}}
        """);
    TierScorer withThresholds = ScorerFactory.create("llm", ScorerContext.of(HOME, version));
    try {
      assertThat(scores(withThresholds)).isEqualTo(expected);
      assertThat(withThresholds.describe().getModel().getVersion())
          .isEqualTo(released.getFileName().toString());
    } finally {
      ((AutoCloseable) withThresholds).close();
    }
  }

  @Test
  void aDirectoryWithoutCalibrationIsRefusedWithAMessage(@TempDir Path empty) {
    assertThatThrownBy(() -> ScorerFactory.create("llm", ScorerContext.of(HOME, empty)))
        .hasMessageContaining("has no calibration.json");
  }

  private static ScoreRequest request(String text) {
    return ScoreRequest.newBuilder().setForced(true).setText(ByteString.copyFromUtf8(text)).build();
  }

  private static Map<String, Double> scores(TierScorer s) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (CategoryScore c : s.score(request(TEXT)).getScoresList()) {
      out.put(c.getCategory(), c.getScore());
    }
    return out;
  }

  /**
   * The serving backend of the released calibration without thresholds: calibrated probabilities.
   */
  private static Map<String, Double> probabilities() throws Exception {
    CategoryCatalog catalog = TestFixtures.shippedCatalog();
    EmbeddingBackend backend =
        EmbeddedModel.backend(
            TestFixtures.zeroShot(),
            Optional.of(released.resolve(EmbeddedModel.CALIBRATION)),
            EmbeddedModel.Scale.PROBABILITY,
            2);
    Map<String, Double> out = new TreeMap<>();
    for (CategoryScore c :
        backend
            .score(ScoringInput.ofText(TEXT), catalog, catalog.categories(), Duration.ofSeconds(30))
            .scores()) {
      out.put(c.getCategory(), c.getScore());
    }
    return out;
  }
}
