package dev.sieve.content.train;

import dev.sieve.content.model.NgramModel;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.threshold.DevSplit;
import dev.sieve.eval.threshold.ThresholdChoice;
import dev.sieve.eval.threshold.ThresholdSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the n-gram model that serving fuses with the head and chooses, per category on dev, how
 * much it counts: the weight w in {@code (1 - w) * head + w * ngram} with the best dev AUPRC among
 * {@link #WEIGHTS} (0 = the head alone, so fusion can only be chosen where dev says it helps).
 *
 * <p>The n-gram model is trained on the same train split, with the same masked, weighted targets as
 * the head, and scored through its quantized, served form ({@link NgramModel}), so dev and test see
 * exactly what serves.
 */
final class NgramFusion {

  static final double[] WEIGHTS = {0, 0.25, 0.5, 0.75};

  /** The trained model, the weight per output, and the dev AUPRC behind each choice. */
  record Fitted(NgramModel model, double[] weights, Map<String, Object> report) {}

  private NgramFusion() {}

  static Fitted fit(
      List<String> trainTexts,
      LabelMatrix trainY,
      List<TextExample> dev,
      List<String> devTexts,
      double[][] devHeadLogits,
      List<String> outputs,
      EvaluationPolicy policy) {
    long start = System.nanoTime();
    HashedNgramLogistic ngram = new HashedNgramLogistic(HashedNgramLogistic.Params.defaults());
    ngram.fit(trainTexts, trainY);
    NgramModel model = ngram.toModel();
    double[][] devNgram = logits(model, devTexts);
    double[] weights = new double[outputs.size()];
    Map<String, Object> report = new LinkedHashMap<>();
    List<Example> devExamples = dev.stream().map(SourceHoldout::example).toList();
    for (int k = 0; k < outputs.size(); k++) {
      double[] best = {-1, -1};
      Map<String, Object> byWeight = new LinkedHashMap<>();
      for (double w : WEIGHTS) {
        double[] fused = new double[dev.size()];
        for (int i = 0; i < fused.length; i++) {
          fused[i] = fuse(devHeadLogits[i][k], devNgram[i][k], w);
        }
        Evaluation.Column column = Evaluation.column(dev, outputs.get(k), fused);
        double ap =
            BinaryMetrics.averagePrecision(
                column.scores(), BinaryMetrics.positive(column.labels()));
        double recall = recallUnderTheStandard(outputs.get(k), devExamples, fused, policy);
        // A fold without the source of a category's only dev positives has no AP (NaN -> null).
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("auprc", Evaluation.round(ap));
        measured.put("recall_at_standard_threshold", Evaluation.round(recall));
        byWeight.put(String.valueOf(w), measured);
        // What the gate measures first (recall at the threshold the standard's ceilings allow, on
        // every ordinary source), then ranking quality.
        if (recall > best[0] + 1e-9
            || (Math.abs(recall - best[0]) <= 1e-9 && ap > best[1] + 1e-9)) {
          best[0] = recall;
          best[1] = ap;
          weights[k] = w;
        }
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dev_by_weight", byWeight);
      row.put("weight", weights[k]);
      report.put(outputs.get(k), row);
    }
    report.put("train_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    report.put("non_zero_weights", ngram.nonZeroWeights());
    return new Fitted(model, weights, report);
  }

  /**
   * Dev recall at the threshold the evaluation standard would choose for these scores (its rules in
   * release-gate.yaml: ceilings never relaxed, held on every ordinary source). Scores are ranked as
   * they are; a monotonic calibration cannot change the choice.
   */
  static double recallUnderTheStandard(
      String category, List<Example> dev, double[] logits, EvaluationPolicy policy) {
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = 1 / (1 + Math.exp(-logits[i]));
    }
    EvalOptions options = policy.options().withBootstrap(0, policy.options().seed());
    ThresholdChoice choice =
        ThresholdSelector.select(
                DevSplit.of(dev, Scores.of(Map.of(category, p), p.length)),
                policy.thresholds(),
                options,
                "fusion",
                "raw")
            .categories()
            .get(category);
    return choice == null || choice.devRecall() == null ? 0 : choice.devRecall();
  }

  static double fuse(double head, double ngram, double w) {
    return w == 0 ? head : (1 - w) * head + w * ngram;
  }

  /** Fused logits of every row. */
  static double[][] fuse(double[][] head, double[][] ngram, double[] weights) {
    double[][] out = new double[head.length][];
    for (int i = 0; i < head.length; i++) {
      out[i] = new double[head[i].length];
      for (int k = 0; k < head[i].length; k++) {
        out[i][k] = fuse(head[i][k], ngram[i][k], weights[k]);
      }
    }
    return out;
  }

  static double[][] logits(NgramModel model, List<String> texts) {
    double[][] out = new double[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = model.logits(texts.get(i));
    }
    return out;
  }
}
