package dev.sieve.llm.eval;

import dev.sieve.core.data.Split;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import dev.sieve.eval.threshold.ThresholdRule;
import dev.sieve.eval.threshold.ThresholdSelector;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.Calibration.Logistic;
import dev.sieve.llm.embedded.PrototypeIndex;
import dev.sieve.llm.embedded.ZeroShotScorer;
import dev.sieve.llm.embedded.ZeroShotScorer.EmbeddedText;
import dev.sieve.llm.input.InputKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Measures the embedded zero-shot backend on labels it never trained on, and fits the served
 * calibration.
 *
 * <p>For each task, on exactly the serving path ({@link ZeroShotScorer}: same chunking, same
 * prototypes, same margin): the raw margin of every dev and test example; a Platt calibration
 * fitted on dev ({@link PlattFitter}); then AUPRC (average precision, with a stratified bootstrap
 * 95% interval on test), ROC AUC, and precision / recall / F1 at the calibrated threshold (the
 * calibrated probability that maximizes F1 on dev) and at p >= 0.5, on dev (in-sample for the
 * calibration and the threshold) and test (held out). Conditions:
 *
 * <ul>
 *   <li>{@code shipped}: the definition as configured in config/categories (what serves);
 *   <li>{@code description-only}: the description alone, no examples (few-shot tasks);
 *   <li>{@code few-shot 5 pos draw k}: the description plus 5 positive examples drawn from the
 *       TRAIN split only, and {@code few-shot 5 pos + 5 neg draw k}: the same 5 plus 5 negative
 *       TRAIN examples; k = 1..draws with different seeds (few-shot tasks).
 * </ul>
 *
 * Test examples never influence a fit, a threshold or an example choice.
 */
public final class ZeroShotEvaluation {

  /** Secondary operating point reported next to the dev-selected threshold. */
  public static final double HALF = 0.5;

  static final int FEW_SHOT_K = 5;

  /** Description + 5 positive TRAIN examples. */
  public static final String FEW_SHOT_POSITIVE = "few-shot 5 pos";

  /** Description + 5 positive and 5 negative TRAIN examples. */
  public static final String FEW_SHOT_BOTH = "few-shot 5 pos + 5 neg";

  private static final int BOOTSTRAP = 1000;
  private static final int EMBED_BATCH = 64;

  /**
   * Precision, recall and F1 at a threshold (core {@link BinaryMetrics}) with the confusion counts.
   * This report prints an undefined rate (nothing flagged, no positives) as 0, as it always has.
   */
  public record AtThreshold(
      double threshold,
      double precision,
      double recall,
      double f1,
      int tp,
      int fp,
      int fn,
      int tn) {

    static AtThreshold of(double[] scores, boolean[] positive, double threshold) {
      BinaryMetrics.Confusion c = BinaryMetrics.confusion(scores, positive, threshold);
      return new AtThreshold(
          threshold,
          zeroIfUndefined(c.precision()),
          zeroIfUndefined(c.recall()),
          zeroIfUndefined(c.f1()),
          (int) c.tp(),
          (int) c.fp(),
          (int) c.fn(),
          (int) c.tn());
    }

    private static double zeroIfUndefined(double rate) {
      return Double.isNaN(rate) ? 0 : rate;
    }
  }

  /**
   * The dev threshold with the best F1 (ties: the higher threshold, fewer blocks), by the
   * evaluation standard's selector.
   */
  static double maxF1Threshold(double[] scores, boolean[] positive) {
    GroupCounts counts = RankedCategory.of(scores, positive).counts();
    return ThresholdSelector.choose(counts, ThresholdRule.maxF1(), 1).threshold();
  }

  /** Metrics of one condition on one split. */
  public record SplitResult(
      int positives,
      int negatives,
      double averagePrecision,
      double[] apInterval,
      double rocAuc,
      AtThreshold atThreshold,
      AtThreshold atHalf,
      AtThreshold builtinDefaultAtHalf,
      Map<String, Double> sliceAveragePrecision) {}

  /** One condition (definition variant) of one task. */
  public record ConditionResult(
      String name,
      String definitionHash,
      List<String> positiveExamples,
      List<String> negativeExamples,
      Logistic fit,
      double threshold,
      SplitResult dev,
      SplitResult test,
      List<String> hardestNegatives,
      List<String> missedPositives,
      double[] devMargins,
      boolean[] devLabels) {}

  /** All conditions of one task. */
  public record TaskResult(EvalTask task, List<ConditionResult> conditions) {
    public ConditionResult condition(String name) {
      return conditions.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
  }

  private final ZeroShotScorer scorer;
  private final CategoryCatalog catalog;
  private final long seed;
  private final int fewShotDraws;
  private final Consumer<String> progress;

  /**
   * Embeddings by text, shared across tasks (the background sample is scored for every category).
   */
  private final Map<String, EmbeddedText> embeddings = new HashMap<>();

  public ZeroShotEvaluation(
      ZeroShotScorer scorer,
      CategoryCatalog catalog,
      long seed,
      int fewShotDraws,
      Consumer<String> progress) {
    this.scorer = scorer;
    this.catalog = catalog;
    this.seed = seed;
    this.fewShotDraws = fewShotDraws;
    this.progress = progress;
  }

  public TaskResult run(EvalTask task) {
    List<EvalExample> dev = task.split(Split.DEV);
    List<EvalExample> test = task.split(Split.TEST);
    progress.accept(
        task.name() + ": embedding " + dev.size() + " dev + " + test.size() + " test examples");
    Map<EvalExample, EmbeddedText> embedded = embed(dev, test);
    CategoryDefinition shipped = catalog.find(task.category()).orElseThrow();
    List<ConditionResult> conditions = new ArrayList<>();
    conditions.add(evaluate(task, "shipped", shipped, dev, test, embedded));
    if (task.fewShot()) {
      conditions.add(
          evaluate(
              task,
              "description-only",
              shipped.withExamples(List.of(), List.of()),
              dev,
              test,
              embedded));
      List<EvalExample> trainPos =
          task.split(Split.TRAIN).stream().filter(EvalExample::positive).toList();
      List<EvalExample> trainNeg =
          task.split(Split.TRAIN).stream().filter(e -> !e.positive()).toList();
      for (int draw = 1; draw <= fewShotDraws; draw++) {
        Random random = new Random(seed * 31 + draw);
        List<String> positives = sample(trainPos, FEW_SHOT_K, random);
        List<String> negatives = sample(trainNeg, FEW_SHOT_K, random);
        conditions.add(
            evaluate(
                task,
                FEW_SHOT_POSITIVE + " draw " + draw,
                shipped.withExamples(positives, List.of()),
                dev,
                test,
                embedded));
        conditions.add(
            evaluate(
                task,
                FEW_SHOT_BOTH + " draw " + draw,
                shipped.withExamples(positives, negatives),
                dev,
                test,
                embedded));
      }
    }
    return new TaskResult(task, conditions);
  }

  /** Raw margins of the examples under a definition (the serving computation). */
  public double[] margins(
      CategoryDefinition definition,
      String variant,
      List<EvalExample> examples,
      Map<EvalExample, EmbeddedText> embedded) {
    CategoryCatalog variantCatalog = catalog.withReplaced(List.of(definition), variant);
    PrototypeIndex.CategoryPrototypes prototypes =
        scorer.prototypes(variantCatalog).get(definition.id());
    double[] out = new double[examples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = scorer.match(embedded.get(examples.get(i)), prototypes).margin();
    }
    return out;
  }

  private ConditionResult evaluate(
      EvalTask task,
      String name,
      CategoryDefinition definition,
      List<EvalExample> dev,
      List<EvalExample> test,
      Map<EvalExample, EmbeddedText> embedded) {
    String variant = name.replace(' ', '-') + "-" + definition.definitionHash().substring(0, 8);
    double[] devMargins = margins(definition, variant, dev, embedded);
    double[] testMargins = margins(definition, variant, test, embedded);
    boolean[] devLabels = labels(dev);
    boolean[] testLabels = labels(test);
    Logistic fit =
        PlattFitter.fit(
            devMargins, devLabels, Calibration.BUILTIN_DEFAULT, PlattFitter.DEFAULT_LAMBDA);
    double[] devP = Arrays.stream(devMargins).map(fit::apply).toArray();
    double threshold = maxF1Threshold(devP, devLabels);
    SplitResult devResult = splitResult(task, dev, devMargins, devLabels, fit, threshold, false);
    SplitResult testResult = splitResult(task, test, testMargins, testLabels, fit, threshold, true);
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s [%s]: dev AP %.3f, test AP %.3f, test P/R/F1 %.3f/%.3f/%.3f at p>=%.3f",
            task.name(),
            name,
            devResult.averagePrecision(),
            testResult.averagePrecision(),
            testResult.atThreshold().precision(),
            testResult.atThreshold().recall(),
            testResult.atThreshold().f1(),
            threshold));
    return new ConditionResult(
        name,
        definition.definitionHash(),
        definition.positiveExamples(),
        definition.negativeExamples(),
        fit,
        threshold,
        devResult,
        testResult,
        extremes(test, testMargins, false),
        extremes(test, testMargins, true),
        devMargins,
        devLabels);
  }

  private SplitResult splitResult(
      EvalTask task,
      List<EvalExample> examples,
      double[] margins,
      boolean[] labels,
      Logistic fit,
      double threshold,
      boolean withInterval) {
    double[] p = new double[margins.length];
    double[] builtin = new double[margins.length];
    for (int i = 0; i < margins.length; i++) {
      p[i] = fit.apply(margins[i]);
      builtin[i] = Calibration.BUILTIN_DEFAULT.apply(margins[i]);
    }
    int pos = 0;
    for (boolean b : labels) {
      if (b) {
        pos++;
      }
    }
    Map<String, Double> slices = new LinkedHashMap<>();
    for (String slice : task.slices()) {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < examples.size(); i++) {
        if (!labels[i]
            || examples
                .get(i)
                .source()
                .toLowerCase(Locale.ROOT)
                .contains(slice.toLowerCase(Locale.ROOT))) {
          keep.add(i);
        }
      }
      double[] s = keep.stream().mapToDouble(i -> margins[i]).toArray();
      boolean[] y = new boolean[keep.size()];
      for (int k = 0; k < y.length; k++) {
        y[k] = labels[keep.get(k)];
      }
      slices.put(slice, BinaryMetrics.averagePrecision(s, y));
    }
    return new SplitResult(
        pos,
        labels.length - pos,
        BinaryMetrics.averagePrecision(margins, labels),
        withInterval ? BinaryMetrics.bootstrapApInterval(margins, labels, BOOTSTRAP, seed) : null,
        BinaryMetrics.rocAuc(margins, labels),
        AtThreshold.of(p, labels, threshold),
        AtThreshold.of(p, labels, HALF),
        AtThreshold.of(builtin, labels, HALF),
        slices);
  }

  /**
   * Highest-scoring negatives ({@code positives=false}) or lowest-scoring positives: error
   * analysis.
   */
  private static List<String> extremes(
      List<EvalExample> examples, double[] margins, boolean positives) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).positive() == positives) {
        idx.add(i);
      }
    }
    Comparator<Integer> byMargin = Comparator.comparingDouble(i -> margins[i]);
    idx.sort(positives ? byMargin : byMargin.reversed());
    return idx.stream()
        .limit(5)
        .map(i -> examples.get(i).id() + String.format(Locale.ROOT, " (margin %.3f)", margins[i]))
        .toList();
  }

  private Map<EvalExample, EmbeddedText> embed(List<EvalExample> dev, List<EvalExample> test) {
    List<EvalExample> all = new ArrayList<>(dev);
    all.addAll(test);
    List<String> missing =
        all.stream()
            .map(EvalExample::text)
            .filter(t -> !embeddings.containsKey(t))
            .distinct()
            .toList();
    for (int start = 0; start < missing.size(); start += EMBED_BATCH) {
      List<String> batch = missing.subList(start, Math.min(missing.size(), start + EMBED_BATCH));
      List<EmbeddedText> vectors = scorer.embedAll(batch);
      for (int i = 0; i < batch.size(); i++) {
        embeddings.put(batch.get(i), vectors.get(i));
      }
    }
    Map<EvalExample, EmbeddedText> out = new HashMap<>();
    for (EvalExample example : all) {
      out.put(example, embeddings.get(example.text()));
    }
    return out;
  }

  private static boolean[] labels(List<EvalExample> examples) {
    boolean[] out = new boolean[examples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = examples.get(i).positive();
    }
    return out;
  }

  private static List<String> sample(List<EvalExample> pool, int k, Random random) {
    List<EvalExample> copy = new ArrayList<>(pool);
    Collections.shuffle(copy, random);
    return copy.stream().limit(k).map(EvalExample::text).toList();
  }

  /**
   * The served calibration: shipped-condition fits of calibrating tasks plus pooled defaults per
   * kind.
   */
  public static Calibration calibration(
      List<TaskResult> results,
      CategoryCatalog catalog,
      String version,
      String datasetVersion,
      String encoder) {
    Calibration.Builder builder = new Calibration.Builder();
    Map<InputKind, List<ConditionResult>> pooled = new LinkedHashMap<>();
    for (TaskResult result : results) {
      EvalTask task = result.task();
      if (!task.calibrates()) {
        continue;
      }
      ConditionResult shipped = result.condition("shipped");
      CategoryDefinition definition = catalog.find(task.category()).orElseThrow();
      builder.put(
          definition,
          catalog.scoringHash(definition),
          task.kind(),
          shipped.fit(),
          shipped.threshold(),
          shipped.dev().positives(),
          shipped.dev().negatives(),
          "dev split of task " + task.name());
      pooled.computeIfAbsent(task.kind(), k -> new ArrayList<>()).add(shipped);
    }
    for (Map.Entry<InputKind, List<ConditionResult>> entry : pooled.entrySet()) {
      int n = entry.getValue().stream().mapToInt(c -> c.devMargins().length).sum();
      double[] m = new double[n];
      boolean[] y = new boolean[n];
      int k = 0;
      for (ConditionResult c : entry.getValue()) {
        for (int i = 0; i < c.devMargins().length; i++) {
          m[k] = c.devMargins()[i];
          y[k++] = c.devLabels()[i];
        }
      }
      builder.putDefault(
          entry.getKey(),
          PlattFitter.fit(m, y, Calibration.BUILTIN_DEFAULT, PlattFitter.DEFAULT_LAMBDA));
    }
    return builder.build(version, datasetVersion, encoder, catalog.version());
  }
}
