package dev.sieve.content.train;

import ai.djl.Device;
import dev.sieve.content.model.ContentHead;
import dev.sieve.content.model.PlattCalibration;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.threshold.DevSplit;
import dev.sieve.eval.threshold.ThresholdSelector;
import dev.sieve.eval.threshold.ThresholdSet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leave-one-source-out for the content head: for each source, a head trained without it, Platt
 * calibrated and thresholded (by the evaluation standard's rules, {@code release-gate.yaml}) on the
 * remaining sources' dev split, then measured on every record of the held-out source.
 *
 * <p>Why the whole pipeline per fold and not just the head: a held-out source must not influence
 * anything, and thresholds are where over-blocking is decided (a ceiling fitted on textbooks says
 * little about tweets). The same rules and the same selector as {@code ./sieve eval run} choose the
 * fold thresholds, so "in-distribution" numbers of the full model are computed the same way.
 */
public final class SourceHoldout {

  private static final Logger log = LoggerFactory.getLogger(SourceHoldout.class);

  /** A source is a fold when it has this many positives of some head output... */
  static final int MIN_POSITIVES = 30;

  /** ...or this many ordinary (background) records. */
  static final int MIN_ORDINARY = 100;

  /** Scores of some examples under one model, calibrated, with the thresholds chosen for it. */
  record Scored(List<String> categories, double[][] calibrated, Map<String, Double> thresholds) {}

  private final List<TextExample> examples;
  private final float[][] features;
  private final List<String> texts;
  private final List<String> outputs;
  private final HeadTrainer.Params params;
  private final EvaluationPolicy policy;
  private final String datasetVersion;

  public SourceHoldout(
      List<TextExample> examples,
      float[][] features,
      List<String> texts,
      List<String> outputs,
      HeadTrainer.Params params,
      EvaluationPolicy policy,
      String datasetVersion) {
    this.examples = examples;
    this.features = features;
    this.texts = texts;
    this.outputs = outputs;
    this.params = params;
    this.policy = policy.forTier("content");
    this.datasetVersion = datasetVersion;
  }

  /** Sources large enough to be a fold, in name order. */
  List<String> folds() {
    Map<String, int[]> counts = new TreeMap<>();
    for (TextExample e : examples) {
      int[] c = counts.computeIfAbsent(e.source(), s -> new int[outputs.size() + 1]);
      for (int k = 0; k < outputs.size(); k++) {
        if (e.positive(outputs.get(k))) {
          c[k]++;
        }
      }
      if (e.scope().contains("*")) {
        c[outputs.size()]++;
      }
    }
    List<String> out = new ArrayList<>();
    counts.forEach(
        (source, c) -> {
          boolean positives = false;
          for (int k = 0; k < outputs.size(); k++) {
            positives |= c[k] >= MIN_POSITIVES;
          }
          if (positives || c[outputs.size()] >= MIN_ORDINARY) {
            out.add(source);
          }
        });
    return out;
  }

  /**
   * Runs every fold. {@code full} is the released model's scores on every example and its
   * thresholds (for the in-distribution comparison on each source's test split).
   */
  public LeaveOneSourceOut run(Scored full) throws IOException {
    List<LeaveOneSourceOut.Fold> folds = new ArrayList<>();
    List<String> sources = folds();
    log.info("leave-one-source-out: {} folds {}", sources.size(), sources);
    for (String source : sources) {
      long start = System.nanoTime();
      Scored fold = trainWithout(source);
      folds.add(measure(source, fold, full));
      log.info("fold without {} done in {} s", source, (System.nanoTime() - start) / 1_000_000_000);
    }
    return new LeaveOneSourceOut(
        "For each source with >= "
            + MIN_POSITIVES
            + " positives of a head output or >= "
            + MIN_ORDINARY
            + " ordinary records: the head and the fused n-gram model retrained on the train split without it"
            + " (same hyper-parameters; fusion weights re-chosen), Platt-calibrated and thresholded by"
            + " release-gate.yaml on the remaining sources' dev split,"
            + " then measured on all of the source's records.",
        datasetVersion,
        folds);
  }

  /**
   * Out-of-source scores for label review: a model trained without {@code source} scores every one
   * of its records (none was seen in training, calibration or threshold choice), written as the
   * review queue's JSONL ({@code {"id", "category", "score"}}; {@code ./sieve data review-queue}).
   */
  public void writeHeldOutScores(String source, Path file) throws IOException {
    Scored fold = trainWithout(source);
    var mapper = DatasetVersion.mapper();
    try (var out =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
      for (int i = 0; i < examples.size(); i++) {
        TextExample e = examples.get(i);
        if (!e.source().equals(source)) {
          continue;
        }
        for (int k = 0; k < outputs.size(); k++) {
          if (!e.inScope(outputs.get(k))) {
            continue;
          }
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", e.id());
          line.put("category", outputs.get(k));
          line.put("score", Math.round(fold.calibrated()[i][k] * 1e5) / 1e5);
          out.write(mapper.writeValueAsString(line));
          out.write('\n');
        }
      }
    }
  }

  /**
   * The released model's scores and standard thresholds, computed the way eval run computes them.
   */
  static Scored full(
      List<TextExample> examples,
      double[][] logits,
      List<PlattCalibration> calibrations,
      List<String> outputs,
      EvaluationPolicy policy,
      String datasetVersion) {
    double[][] calibrated = new double[examples.size()][outputs.size()];
    for (int i = 0; i < examples.size(); i++) {
      for (int k = 0; k < outputs.size(); k++) {
        calibrated[i][k] = calibrations.get(k).apply(logits[i][k]);
      }
    }
    Map<String, Double> thresholds =
        thresholds(examples, calibrated, outputs, policy.forTier("content"), datasetVersion);
    return new Scored(outputs, calibrated, thresholds);
  }

  private Scored trainWithout(String source) throws IOException {
    List<Integer> train = new ArrayList<>();
    List<Integer> dev = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      TextExample e = examples.get(i);
      if (e.source().equals(source)) {
        continue;
      }
      if (e.split().equals("train")) {
        train.add(i);
      } else if (e.split().equals("dev")) {
        dev.add(i);
      }
    }
    List<TextExample> trainExamples = train.stream().map(examples::get).toList();
    List<TextExample> devExamples = dev.stream().map(examples::get).toList();
    double[] weights = ContentTrainer.positiveWeights(trainExamples, outputs);
    Path staging = Files.createTempDirectory("content-loso-");
    try {
      HeadTrainer.Result trained =
          new HeadTrainer(params)
              .train(
                  rows(train),
                  LabelMatrix.of(
                      trainExamples,
                      outputs,
                      weights,
                      LabelMatrix.ordinarySourceWeights(trainExamples)),
                  rows(dev),
                  LabelMatrix.of(devExamples, outputs, weights),
                  staging);
      double[][] headLogits;
      try (ContentHead head = ContentHead.load(staging, trained.architecture(), Device.cpu())) {
        headLogits = logits(head, features);
      }
      // The fold's n-gram model and fusion weights, also without the source.
      LabelMatrix trainY =
          LabelMatrix.of(
              trainExamples, outputs, weights, LabelMatrix.ordinarySourceWeights(trainExamples));
      double[][] devHead = dev.stream().map(i -> headLogits[i]).toArray(double[][]::new);
      NgramFusion.Fitted fusion =
          NgramFusion.fit(
              train.stream().map(texts::get).toList(),
              trainY,
              devExamples,
              dev.stream().map(texts::get).toList(),
              devHead,
              outputs,
              policy);
      double[][] logits =
          NgramFusion.fuse(headLogits, NgramFusion.logits(fusion.model(), texts), fusion.weights());
      List<PlattCalibration> calibrations = new ArrayList<>();
      for (int k = 0; k < outputs.size(); k++) {
        Evaluation.Column column =
            Evaluation.column(devExamples, outputs.get(k), column(logits, dev, k));
        calibrations.add(PlattFitter.fit(column.scores(), column.labels()));
      }
      double[][] calibrated = new double[examples.size()][outputs.size()];
      for (int i = 0; i < examples.size(); i++) {
        for (int k = 0; k < outputs.size(); k++) {
          calibrated[i][k] = calibrations.get(k).apply(logits[i][k]);
        }
      }
      List<TextExample> kept = new ArrayList<>();
      double[][] keptScores = new double[examples.size()][];
      int n = 0;
      for (int i = 0; i < examples.size(); i++) {
        if (!examples.get(i).source().equals(source)) {
          kept.add(examples.get(i));
          keptScores[n++] = calibrated[i];
        }
      }
      Map<String, Double> thresholds =
          thresholds(kept, Arrays.copyOf(keptScores, n), outputs, policy, datasetVersion);
      return new Scored(outputs, calibrated, thresholds);
    } finally {
      try (var paths = Files.walk(staging)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Standard thresholds from the dev examples among {@code all} (release-gate.yaml rules). */
  static Map<String, Double> thresholds(
      List<TextExample> all,
      double[][] calibrated,
      List<String> outputs,
      EvaluationPolicy policy,
      String datasetVersion) {
    List<Example> dev = new ArrayList<>();
    Map<String, List<Double>> columns = new LinkedHashMap<>();
    outputs.forEach(c -> columns.put(c, new ArrayList<>()));
    for (int i = 0; i < all.size(); i++) {
      if (!all.get(i).split().equals("dev")) {
        continue;
      }
      dev.add(example(all.get(i)));
      for (int k = 0; k < outputs.size(); k++) {
        columns.get(outputs.get(k)).add(calibrated[i][k]);
      }
    }
    Map<String, double[]> arrays = new LinkedHashMap<>();
    columns.forEach((c, v) -> arrays.put(c, v.stream().mapToDouble(Double::doubleValue).toArray()));
    EvalOptions options = policy.options().withBootstrap(0, policy.options().seed());
    ThresholdSet set =
        ThresholdSelector.select(
            DevSplit.of(dev, Scores.of(arrays, dev.size())),
            policy.thresholds(),
            options,
            datasetVersion,
            "calibrated");
    return set.values();
  }

  /**
   * A trainer example as the evaluation module sees it (same slices as DatasetExamples.fromText).
   */
  static Example example(TextExample e) {
    Map<String, List<String>> slices = new TreeMap<>();
    slices.put(DatasetExamples.INPUT, List.of(DatasetExamples.TEXT));
    slices.put("source", List.of(e.source()));
    slices.put("kind", List.of(e.kind()));
    return new Example(
        "text:" + e.id(),
        e.text(),
        e.split(),
        new TreeSet<>(e.labels()),
        new TreeSet<>(e.scope()),
        slices,
        Map.of(),
        e.flags(),
        e.scope().contains(Example.ALL));
  }

  private LeaveOneSourceOut.Fold measure(String source, Scored fold, Scored full) {
    List<LeaveOneSourceOut.FoldCategory> rows = new ArrayList<>();
    long items = examples.stream().filter(e -> e.source().equals(source)).count();
    for (int k = 0; k < outputs.size(); k++) {
      String category = outputs.get(k);
      long[] held =
          counts(source, null, fold.calibrated(), k, fold.thresholds().get(category), category);
      long[] inDist =
          counts(source, "test", full.calibrated(), k, full.thresholds().get(category), category);
      if (held[0] == 0 && held[2] == 0) {
        continue;
      }
      rows.add(
          new LeaveOneSourceOut.FoldCategory(
              category,
              held[0],
              held[2],
              round(fold.thresholds().get(category)),
              held[0] == 0
                  ? null
                  : Estimate.of((double) held[1] / held[0], Wilson.interval(held[1], held[0])),
              inDist[0] == 0 ? null : round((double) inDist[1] / inDist[0]),
              held[2] == 0
                  ? null
                  : Estimate.of((double) held[3] / held[2], Wilson.interval(held[3], held[2])),
              inDist[2] == 0 ? null : round((double) inDist[3] / inDist[2])));
    }
    return new LeaveOneSourceOut.Fold(source, items, rows);
  }

  /**
   * positives, caught, ordinary items, ordinary flagged — for {@code source} (and split when
   * given).
   */
  private long[] counts(
      String source, String split, double[][] scores, int k, Double threshold, String category) {
    long[] c = new long[4];
    if (threshold == null) {
      return c;
    }
    for (int i = 0; i < examples.size(); i++) {
      TextExample e = examples.get(i);
      if (!e.source().equals(source) || (split != null && !split.equals(e.split()))) {
        continue;
      }
      boolean flagged = scores[i][k] >= threshold;
      if (e.positive(category)) {
        c[0]++;
        c[1] += flagged ? 1 : 0;
      } else if (e.scope().contains("*")) {
        c[2]++;
        c[3] += flagged ? 1 : 0;
      }
    }
    return c;
  }

  private float[][] rows(List<Integer> idx) {
    float[][] out = new float[idx.size()][];
    for (int j = 0; j < idx.size(); j++) {
      out[j] = features[idx.get(j)];
    }
    return out;
  }

  private static double[] column(double[][] logits, List<Integer> idx, int k) {
    double[] out = new double[idx.size()];
    for (int j = 0; j < idx.size(); j++) {
      out[j] = logits[idx.get(j)][k];
    }
    return out;
  }

  /** Head logits for every feature row, in batches. */
  static double[][] logits(ContentHead head, float[][] features) {
    int dim = head.architecture().inputDim();
    double[][] out = new double[features.length][];
    for (int from = 0; from < features.length; from += 1024) {
      int to = Math.min(features.length, from + 1024);
      float[] flat = new float[(to - from) * dim];
      for (int i = from; i < to; i++) {
        System.arraycopy(features[i], 0, flat, (i - from) * dim, dim);
      }
      float[][] z = head.logits(flat, to - from);
      for (int i = from; i < to; i++) {
        double[] row = new double[z[i - from].length];
        for (int k = 0; k < row.length; k++) {
          row[k] = z[i - from][k];
        }
        out[i] = row;
      }
    }
    return out;
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1e4) / 1e4;
  }

  /** Writes the report next to the model. */
  public static void write(LeaveOneSourceOut report, Path modelDir) {
    try {
      Files.createDirectories(modelDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    report.write(modelDir.resolve(LeaveOneSourceOut.FILE));
  }
}
