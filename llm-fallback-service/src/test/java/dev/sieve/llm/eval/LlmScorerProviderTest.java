package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.TierScorer;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation standard finds the llm tier through ServiceLoader and scores the released
 * zero-shot version through the serving code, on the calibrated-probability scale (never aligned,
 * even when the version already has thresholds), with the lineage the version directory names.
 */
class LlmScorerProviderTest {

  private static final Path HOME = Path.of("..");
  private static final String TEXT = "Welcome to Lucky Spin Casino! Play slots and roulette and win real money tonight.";

  private static Path released;
  private static TierScorer scorer;

  @BeforeAll
  static void releasedThroughTheProvider() throws Exception {
    released = EmbeddedModel.releasedVersion(EmbeddedModel.modelRoot(HOME)).orElseThrow();
    scorer = ScorerFactory.create("llm", new ScorerContext(HOME, Optional.empty(), Map.of("threads", "2")));
  }

  @AfterAll
  static void close() throws Exception {
    ((AutoCloseable) scorer).close();
  }

  @Test
  void evalFindsTheLlmTierAsSelfCalibrating() {
    assertThat(ScorerFactory.available()).contains("llm");
    assertThat(ScorerFactory.provider("llm").orElseThrow().servesCalibratedProbabilities()).isTrue();
  }

  @Test
  void describeNamesTheModelVersionDirectoryAndTheServedCategories() {
    TierDescription d = scorer.describe();
    assertThat(d.getTier()).isEqualTo("llm");
    assertThat(d.getModel().getName()).isEqualTo("llm-zero-shot").isEqualTo(released.getParent().getFileName().toString());
    assertThat(d.getModel().getVersion()).isEqualTo(released.getFileName().toString());
    assertThat(d.getCategoriesList()).containsExactlyElementsOf(TestFixtures.shippedCatalog().ids())
        .contains("self_harm", "ai_chatbots", "cheating");
  }

  @Test
  void scoresAreTheCalibratedProbabilitiesOfTheServingPathUnaligned(@TempDir Path copy) throws Exception {
    Map<String, Double> expected = probabilities();
    assertThat(scores(scorer)).isEqualTo(expected);

    // A version that already has the standard's thresholds is still scored unaligned.
    Path version = Files.createDirectories(copy.resolve(released.getFileName()));
    Files.copy(released.resolve(EmbeddedModel.CALIBRATION), version.resolve(EmbeddedModel.CALIBRATION));
    Files.writeString(version.resolve(ServedThresholds.FILE), """
        {"format":"sieve-thresholds/1","selected_on":"dev","dataset_version":"ds-test","score_space":"raw",
         "categories":{"gambling":{"threshold":0.2},"adult":{"threshold":0.9}}}
        """);
    TierScorer withThresholds = ScorerFactory.create("llm", ScorerContext.of(HOME, version));
    try {
      assertThat(scores(withThresholds)).isEqualTo(expected);
      assertThat(withThresholds.describe().getModel().getVersion()).isEqualTo(released.getFileName().toString());
    } finally {
      ((AutoCloseable) withThresholds).close();
    }
  }

  @Test
  void aDirectoryWithoutCalibrationIsRefusedWithAMessage(@TempDir Path empty) {
    assertThatThrownBy(() -> ScorerFactory.create("llm", ScorerContext.of(HOME, empty)))
        .hasMessageContaining("has no calibration.json");
  }

  /**
   * Not a benchmark and not part of the default run (a minute on two cores): the figure the
   * evaluation's scoring time scales with. {@code -Dsieve.llm.timing=true} runs it on 100 dev texts
   * spread evenly over the dataset and prints the wall time per concurrency.
   */
  @Test
  @EnabledIfSystemProperty(named = "sieve.llm.timing", matches = "true")
  void timesAHundredDatasetTextsInProcess() throws Exception {
    Path texts = HOME.resolve("data/datasets/ds-d0c31329cb3e/texts.jsonl.gz");
    Assumptions.assumeTrue(Files.isRegularFile(texts), "dataset not present");
    List<String> dev = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(texts)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode row = json.readTree(line);
        if (row.path("split").asText().equals("dev")) {
          dev.add(row.path("text").asText());
        }
      }
    }
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sample.add(dev.get(i * dev.size() / 100));
    }
    for (int callers : new int[] {1, 2, 8}) {
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      long started = System.nanoTime();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (String text : sample) {
          futures.add(pool.submit(() -> scorer.score(request(text))));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      System.out.printf(Locale.ROOT, "llm provider: 100 dev texts (%d words on average), %d categories, %d callers:"
              + " %.1f s on %d cores%n",
          sample.stream().mapToInt(t -> t.split("\\s+").length).sum() / sample.size(),
          scorer.describe().getCategoriesCount(), callers, (System.nanoTime() - started) / 1e9,
          Runtime.getRuntime().availableProcessors());
    }
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

  /** The serving backend of the released calibration without thresholds: calibrated probabilities. */
  private static Map<String, Double> probabilities() throws Exception {
    CategoryCatalog catalog = TestFixtures.shippedCatalog();
    EmbeddingBackend backend = EmbeddedModel.backend(TestFixtures.zeroShot(),
        Optional.of(released.resolve(EmbeddedModel.CALIBRATION)), EmbeddedModel.Scale.PROBABILITY, 2);
    Map<String, Double> out = new TreeMap<>();
    for (CategoryScore c : backend.score(ScoringInput.ofText(TEXT), catalog, catalog.categories(),
        Duration.ofSeconds(30)).scores()) {
      out.put(c.getCategory(), c.getScore());
    }
    return out;
  }
}
