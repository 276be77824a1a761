package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.content.model.NgramModel;
import dev.sieve.eval.Example;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served n-gram model and its fusion with the head: the quantized artifact scores like the
 * float model it was trained as, survives a write/read unchanged, and a fusion weight is only
 * chosen where dev says it helps: recall at the threshold the standard's ceilings allow first, then
 * AUPRC.
 */
class NgramFusionTest {

  private static final List<String> OUTPUTS = List.of("gambling");
  private static final String[] GAMBLING = {
    "casino", "jackpot", "slots", "poker", "roulette", "betting odds"
  };
  private static final String[] ORDINARY = {
    "library", "garden", "fractions", "recipes", "weather", "museum"
  };
  private static final String[] FILLER = {
    "tonight", "for students", "this weekend", "in our town", "online", "today"
  };

  /** Texts whose words settle the label; {@code offset} varies the combinations between splits. */
  private static List<TextExample> split(String split, int n, int offset) {
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean positive = i % 2 == 0;
      String[] words = positive ? GAMBLING : ORDINARY;
      String text =
          "Visit "
              + words[(i + offset) % words.length]
              + " and "
              + words[(i / 2 + offset + 1) % words.length]
              + " "
              + FILLER[(i + offset) % FILLER.length];
      out.add(
          new TextExample(
              split + i,
              text,
              "post",
              "fixture",
              split,
              positive ? Set.of("gambling") : Set.of(),
              Set.of("*"),
              List.of(),
              ""));
    }
    return out;
  }

  private static List<String> texts(List<TextExample> ex) {
    return ex.stream().map(TextExample::text).toList();
  }

  private static double[][] constantLogits(int n, double v) {
    double[][] out = new double[n][1];
    for (double[] row : out) {
      row[0] = v;
    }
    return out;
  }

  @Test
  void fusionIsTheWeightedSumOfLogitsAndWeightZeroIsTheHeadExactly() {
    assertThat(NgramFusion.fuse(1.7, 123.0, 0)).isEqualTo(1.7);
    assertThat(NgramFusion.fuse(2.0, 10.0, 0.25)).isEqualTo(4.0);
    assertThat(NgramFusion.fuse(-2.0, 2.0, 0.5)).isEqualTo(0.0);
    double[][] fused =
        NgramFusion.fuse(
            new double[][] {{1, 2}, {3, 4}},
            new double[][] {{5, 6}, {7, 8}},
            new double[] {0, 0.75});
    assertThat(fused[0]).containsExactly(1, 0.25 * 2 + 0.75 * 6);
    assertThat(fused[1]).containsExactly(3, 0.25 * 4 + 0.75 * 8);
  }

  @Test
  void theQuantizedModelScoresLikeTheFloatModelAndRoundTripsExactly(@TempDir Path dir) {
    List<TextExample> train = split("train", 120, 0);
    HashedNgramLogistic ngram =
        new HashedNgramLogistic(new HashedNgramLogistic.Params(12, 8, 0.5, 1e-6, 7L));
    ngram.fit(texts(train), LabelMatrix.of(train, OUTPUTS, new double[] {1}));
    NgramModel model = ngram.toModel();
    assertThat(model.outputs()).isEqualTo(1);
    List<String> probes = new ArrayList<>(texts(split("dev", 20, 3)));
    probes.add("a text with no word the model has seen");
    probes.add("");
    double worst = 0;
    for (String text : probes) {
      double p = ngram.predict(text)[0];
      double floatLogit = Math.log(p / (1 - p));
      double served = model.logits(text)[0];
      worst = Math.max(worst, Math.abs(served - floatLogit));
    }
    // int8 weights (127 steps of the largest |w|) and idf in 0.05 steps: well under a tenth of a
    // logit.
    assertThat(worst).isLessThan(0.1);
    // The words still separate the classes through the served form.
    assertThat(model.logits("Visit casino and jackpot tonight")[0])
        .isGreaterThan(model.logits("Visit library and garden tonight")[0] + 1);

    Path file = dir.resolve(NgramModel.FILE);
    model.write(file);
    NgramModel read = NgramModel.read(file);
    for (String text : probes) {
      assertThat(read.logits(text)).containsExactly(model.logits(text));
    }
  }

  /**
   * The standard's rules for these tests: max F1 under a 5% ordinary ceiling, 5 dev positives
   * suffice.
   */
  static final EvaluationPolicy POLICY =
      EvaluationPolicy.parse(
          """
      version: 1
      evaluation: {min_positives: 5}
      thresholds:
        default: {objective: max_f1, max_background_flag_rate: 0.05}
      """);

  @Test
  void recallUnderTheStandardIsTheDevRecallAtTheThresholdItsCeilingsAllow() {
    List<TextExample> dev = split("dev", 40, 3);
    List<Example> examples = dev.stream().map(SourceHoldout::example).toList();
    double[] logits = new double[40];
    int negatives = 0;
    for (int i = 0; i < 40; i++) {
      boolean positive = dev.get(i).positive("gambling");
      // Positives at 2; two of the 20 ordinary negatives above them (10% of ordinary text).
      logits[i] = positive ? 2 : negatives++ < 2 ? 3 : -2;
    }
    // A 5% ceiling cannot flag the positives without the two negatives above them: nothing is
    // caught.
    assertThat(NgramFusion.recallUnderTheStandard("gambling", examples, logits, POLICY)).isZero();
    EvaluationPolicy loose =
        EvaluationPolicy.parse(
            """
        version: 1
        evaluation: {min_positives: 5}
        thresholds:
          default: {objective: max_f1, max_background_flag_rate: 0.1}
        """);
    assertThat(NgramFusion.recallUnderTheStandard("gambling", examples, logits, loose))
        .isEqualTo(1.0);
  }

  @Test
  void aWeightIsChosenOnlyWhereDevSaysTheNgramModelHelps() {
    List<TextExample> train = split("train", 120, 0);
    List<TextExample> dev = split("dev", 40, 3);
    LabelMatrix trainY = LabelMatrix.of(train, OUTPUTS, new double[] {1});

    // A head with no signal (every dev logit equal): under the ceiling it can flag nothing, the
    // fused scores catch the positives, so a weight is chosen.
    NgramFusion.Fitted blind =
        NgramFusion.fit(
            texts(train), trainY, dev, texts(dev), constantLogits(40, 0.0), OUTPUTS, POLICY);
    assertThat(blind.weights()[0]).isGreaterThan(0);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byWeight =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) blind.report().get("gambling")).get("dev_by_weight");
    assertThat(byWeight).containsOnlyKeys("0.0", "0.25", "0.5", "0.75");
    assertThat((Double) byWeight.get("0.0").get("recall_at_standard_threshold")).isZero();
    assertThat((Double) byWeight.get("0.0").get("auprc"))
        .isCloseTo(0.5, within(1e-9)); // the base rate
    // The chosen weight has the most recall the ceiling allows of the four (ties: the better
    // AUPRC).
    double chosen =
        (Double)
            byWeight.get(String.valueOf(blind.weights()[0])).get("recall_at_standard_threshold");
    assertThat(chosen).isGreaterThan(0.5);
    assertThat(byWeight.values())
        .allSatisfy(
            r ->
                assertThat((Double) r.get("recall_at_standard_threshold"))
                    .isLessThanOrEqualTo(chosen));

    // A head that already ranks dev perfectly: no weight does strictly better, so the head stays
    // alone.
    double[][] perfect = new double[40][1];
    for (int i = 0; i < 40; i++) {
      perfect[i][0] = dev.get(i).positive("gambling") ? 5 : -5;
    }
    NgramFusion.Fitted alone =
        NgramFusion.fit(texts(train), trainY, dev, texts(dev), perfect, OUTPUTS, POLICY);
    assertThat(alone.weights()[0]).isZero();
    assertThat(alone.report()).containsKeys("train_seconds", "non_zero_weights");
  }

  /**
   * Leave-one-source-out: a fold without the source of a category's only dev positives has no dev
   * AP; the fit keeps the head alone and reports the AP as unmeasured instead of failing (it threw
   * a NullPointerException from Map.of).
   */
  @Test
  void aCategoryWithoutDevPositivesKeepsTheHeadAndReportsNoAp() {
    List<TextExample> train = split("train", 120, 0);
    List<TextExample> dev =
        split("dev", 40, 3).stream()
            .map(
                e ->
                    new TextExample(
                        e.id(),
                        e.text(),
                        e.kind(),
                        e.source(),
                        e.split(),
                        Set.of(),
                        Set.of("*"),
                        List.of(),
                        ""))
            .toList();
    LabelMatrix trainY = LabelMatrix.of(train, OUTPUTS, new double[] {1});
    NgramFusion.Fitted fitted =
        NgramFusion.fit(
            texts(train), trainY, dev, texts(dev), constantLogits(40, 0.0), OUTPUTS, POLICY);
    assertThat(fitted.weights()[0]).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byWeight =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) fitted.report().get("gambling")).get("dev_by_weight");
    assertThat(byWeight.get("0.0"))
        .containsEntry("auprc", null)
        .containsEntry("recall_at_standard_threshold", 0.0);
  }
}
