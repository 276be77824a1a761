package dev.sieve.eval;

import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Confusion;
import dev.sieve.eval.metrics.Drift;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import dev.sieve.eval.metrics.Reliability;
import dev.sieve.eval.report.Averages;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.ConfusionMatrix;
import dev.sieve.eval.report.ErrorExample;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.OverBlocking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The decoupled evaluation API: examples + per-category scores + thresholds in, every number of the
 * standard out. Trainers call it directly with arrays; the CLI calls it after scoring a dataset
 * through a tier.
 *
 * <p>Label scope is honoured throughout: an example counts for a category (as positive or negative)
 * only when {@link Example#inScope(String)}. Categories with fewer positives than {@link
 * EvalOptions#minPositives()} get no rates ("insufficient data"), but their background flag rate —
 * measurable without positives — is still reported.
 */
public final class Evaluator {

  /**
   * The card's score histogram bins: the same ones the router's live histograms use (core
   * ScoreBins).
   */
  static final int HISTOGRAM_BINS = ScoreBins.BINS;

  static final int PR_POINTS = 101;
  static final int INPUT_CHARS = 200;

  // Per-category bootstrap statistics.
  private static final int P = 0;
  private static final int R = 1;
  private static final int F1 = 2;
  private static final int AP = 3;
  private static final int AUC = 4;
  private static final int BG = 5;
  private static final int STATS = 6;

  private Evaluator() {}

  /** Evaluates served scores at the given thresholds (no calibration comparison). */
  public static EvaluationResult evaluate(
      List<Example> examples, Scores scores, Map<String, Double> thresholds, EvalOptions options) {
    return evaluate(examples, scores, null, thresholds, options);
  }

  /**
   * Evaluates served scores at the given thresholds.
   *
   * @param examples the evaluated items (one split)
   * @param scores served scores, aligned with {@code examples}
   * @param uncalibrated the same scores before calibration, for the before/after reliability
   *     comparison; {@code null} when no calibration was applied
   * @param thresholds a threshold for every category in {@code scores}
   * @throws IllegalArgumentException when a threshold is missing or arrays are misaligned
   */
  public static EvaluationResult evaluate(
      List<Example> examples,
      Scores scores,
      Scores uncalibrated,
      Map<String, Double> thresholds,
      EvalOptions options) {
    return evaluate(examples, scores, uncalibrated, thresholds, options, null);
  }

  /**
   * What the served verdicts did, per example: blocked (the response's action) and alerted (its
   * alert flag). A fleet evaluation passes it so that block and alert rates are the router's, with
   * policy rules (help yields, fail-closed, overrides) applied, not re-derived from scores.
   */
  public record Served(boolean[] blocked, boolean[] alerted) {}

  /** As above; with {@code served}, block and alert rates come from the served verdicts. */
  public static EvaluationResult evaluate(
      List<Example> examples,
      Scores scores,
      Scores uncalibrated,
      Map<String, Double> thresholds,
      EvalOptions options,
      Served served) {
    int n = examples.size();
    if (served != null && (served.blocked().length != n || served.alerted().length != n)) {
      throw new IllegalArgumentException(
          "served outcomes are not aligned with the " + n + " examples");
    }
    if (scores.size() != n || (uncalibrated != null && uncalibrated.size() != n)) {
      throw new IllegalArgumentException("scores are not aligned with the " + n + " examples");
    }
    List<String> categories = scores.categories();
    int k = categories.size();
    RankedCategory[] ranked = new RankedCategory[k];
    GroupCounts[] counts = new GroupCounts[k];
    double[] threshold = new double[k];
    String[] status = new String[k];
    boolean[][] decided = new boolean[k][];
    for (int c = 0; c < k; c++) {
      String id = categories.get(c);
      Double t = thresholds.get(id);
      if (t == null) {
        throw new IllegalArgumentException("no threshold for category '" + id + "'");
      }
      threshold[c] = t;
      ranked[c] = RankedCategory.build(id, examples, scores.get(id));
      counts[c] = ranked[c].counts();
      // Not scored means the model gave no opinion on any input; a model that scores the category
      // but meets no labelled or ordinary input of it is unmeasured (insufficient), not "not
      // scored"
      // (issue #17: the llm card said "not scored" for gambling, which the tier serves).
      status[c] =
          ranked[c].scored() == 0 && !anyScore(scores.get(id))
              ? CategoryResult.NOT_SCORED
              : counts[c].totalPos() < options.minPositives()
                  ? CategoryResult.INSUFFICIENT
                  : CategoryResult.MEASURED;
      double[] s = scores.get(id);
      decided[c] = new boolean[n];
      for (int i = 0; i < n; i++) {
        decided[c][i] = !Double.isNaN(s[i]) && s[i] >= t;
      }
    }
    boolean[] blocked = new boolean[n];
    if (served != null) {
      System.arraycopy(served.blocked(), 0, blocked, 0, n);
    } else {
      for (int c = 0; c < k; c++) {
        if (options.blockingCategories().contains(categories.get(c))) {
          for (int i = 0; i < n; i++) {
            blocked[i] |= decided[c][i];
          }
        }
      }
    }

    int[] backgroundIdx = IntStream.range(0, n).filter(i -> examples.get(i).background()).toArray();
    int resamples = options.bootstrapResamples();
    double[][][] stats = new double[k][STATS][resamples];
    double[][] micro = new double[3][resamples];
    double[][] macro = new double[5][resamples];
    double[] blockRate = new double[resamples];
    IntStream.range(0, resamples)
        .parallel()
        .forEach(
            b -> {
              int[] w = Bootstrap.weights(options.seed(), b, n);
              long tp = 0;
              long fp = 0;
              long fn = 0;
              double[] macroSum = new double[5];
              int[] macroN = new int[5];
              for (int c = 0; c < k; c++) {
                if (status[c].equals(CategoryResult.NOT_SCORED)) {
                  continue;
                }
                GroupCounts gc = ranked[c].counts(w);
                Confusion at = gc.at(threshold[c]);
                stats[c][BG][b] = at.backgroundFlagRate();
                if (!status[c].equals(CategoryResult.MEASURED)) {
                  continue;
                }
                double[] v = {
                  at.precision(), at.recall(), at.f1(), gc.averagePrecision(), gc.auroc()
                };
                for (int m = 0; m < 5; m++) {
                  stats[c][m][b] = v[m];
                  if (!Double.isNaN(v[m])) {
                    macroSum[m] += v[m];
                    macroN[m]++;
                  }
                }
                tp += at.tp();
                fp += at.fp();
                fn += at.fn();
              }
              micro[0][b] = ratio(tp, tp + fp);
              micro[1][b] = ratio(tp, tp + fn);
              micro[2][b] = ratio(2 * tp, 2 * tp + fp + fn);
              for (int m = 0; m < 5; m++) {
                macro[m][b] = macroN[m] == 0 ? Double.NaN : macroSum[m] / macroN[m];
              }
              long bgBlocked = 0;
              long bgTotal = 0;
              for (int i : backgroundIdx) {
                bgTotal += w[i];
                if (blocked[i]) {
                  bgBlocked += w[i];
                }
              }
              blockRate[b] = ratio(bgBlocked, bgTotal);
            });

    List<CategoryResult> results = new ArrayList<>();
    long tp = 0;
    long fp = 0;
    long fn = 0;
    double[] macroSum = new double[5];
    int[] macroN = new int[5];
    int measuredCount = 0;
    for (int c = 0; c < k; c++) {
      String id = categories.get(c);
      GroupCounts gc = counts[c];
      Confusion at = gc.at(threshold[c]);
      boolean measured = status[c].equals(CategoryResult.MEASURED);
      boolean scored = !status[c].equals(CategoryResult.NOT_SCORED);
      double[] point = {at.precision(), at.recall(), at.f1(), gc.averagePrecision(), gc.auroc()};
      Estimate[] est = new Estimate[5];
      for (int m = 0; m < 5; m++) {
        est[m] = measured ? estimate(point[m], stats[c][m], resamples, options) : null;
      }
      if (measured) {
        measuredCount++;
        tp += at.tp();
        fp += at.fp();
        fn += at.fn();
        for (int m = 0; m < 5; m++) {
          if (!Double.isNaN(point[m])) {
            macroSum[m] += point[m];
            macroN[m]++;
          }
        }
      }
      Estimate bg =
          scored && gc.totalBg() > 0
              ? estimate(at.backgroundFlagRate(), stats[c][BG], resamples, options)
              : null;
      Reliability.Curve reliabilityServed = reliability(examples, scores.get(id), id, options);
      Reliability.Curve raw =
          uncalibrated == null ? null : reliability(examples, uncalibrated.get(id), id, options);
      String note =
          switch (status[c]) {
            case CategoryResult.NOT_SCORED -> "the model returned no score for this category";
            case CategoryResult.INSUFFICIENT ->
                "insufficient data: "
                    + gc.totalPos()
                    + " positives < "
                    + options.minPositives()
                    + " in the "
                    + splitOf(examples)
                    + " split; no rates reported";
            default -> "";
          };
      results.add(
          new CategoryResult(
              id,
              status[c],
              note,
              gc.totalPos(),
              gc.totalNeg(),
              gc.totalBg(),
              ranked[c].scored(),
              threshold[c],
              at.tp(),
              at.fp(),
              at.fn(),
              at.tn(),
              est[0],
              est[1],
              est[2],
              est[3],
              est[4],
              bg,
              measured ? Estimate.orNull(reliabilityServed.ece()) : null,
              measured && raw != null ? Estimate.orNull(raw.ece()) : null,
              measured ? reliabilityServed.bins() : List.of(),
              measured && raw != null ? raw.bins() : List.of(),
              measured ? gc.precisionRecallCurve(PR_POINTS) : List.of(),
              scored ? Drift.histogram(scores.get(id), HISTOGRAM_BINS) : new long[0],
              topFalsePositives(
                  examples, ranked[c], scores.get(id), threshold[c], id, options.topExamples()),
              measured || gc.totalPos() > 0
                  ? topFalseNegatives(
                      examples, scores.get(id), threshold[c], id, options.topExamples())
                  : List.of()));
    }
    Averages microAvg =
        new Averages(
            measuredCount,
            estimate(ratio(tp, tp + fp), micro[0], resamples, options),
            estimate(ratio(tp, tp + fn), micro[1], resamples, options),
            estimate(ratio(2 * tp, 2 * tp + fp + fn), micro[2], resamples, options),
            null,
            null);
    Estimate[] mac = new Estimate[5];
    for (int m = 0; m < 5; m++) {
      mac[m] =
          estimate(
              macroN[m] == 0 ? Double.NaN : macroSum[m] / macroN[m], macro[m], resamples, options);
    }
    Averages macroAvg = new Averages(measuredCount, mac[0], mac[1], mac[2], mac[3], mac[4]);

    OverBlocking over =
        overBlocking(examples, scores, categories, decided, blocked, blockRate, options);
    ConfusionMatrix confusion = confusion(examples, categories, decided, status);
    long background = examples.stream().filter(Example::background).count();
    return new EvaluationResult(
        splitOf(examples),
        n,
        background,
        options.minPositives(),
        resamples,
        options.seed(),
        options.confidence(),
        results,
        microAvg,
        macroAvg,
        over,
        confusion,
        SliceAnalyzer.tables(
            examples, categories, decided, blocked, status, options.blockingCategories()),
        ExternalValidityAnalyzer.analyze(
            examples,
            categories,
            decided,
            status,
            EvalOptions.defaultAlerting(),
            served == null ? null : served.alerted()));
  }

  static String splitOf(List<Example> examples) {
    TreeSet<String> splits = new TreeSet<>();
    examples.forEach(e -> splits.add(e.split()));
    return splits.size() == 1 ? splits.first() : String.join("+", splits);
  }

  private static Estimate estimate(double point, double[] resampled, int resamples, EvalOptions o) {
    if (resamples == 0) {
      return Estimate.point(point);
    }
    return Estimate.of(point, Bootstrap.percentile(resampled, o.confidence()));
  }

  private static Reliability.Curve reliability(
      List<Example> examples, double[] scores, String category, EvalOptions options) {
    List<Double> s = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).inScope(category) && !Double.isNaN(scores[i])) {
        s.add(scores[i]);
        y.add(examples.get(i).positive(category));
      }
    }
    boolean[] labels = new boolean[y.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i);
    }
    return Reliability.compute(
        s.stream().mapToDouble(Double::doubleValue).toArray(), labels, options.reliabilityBins());
  }

  private static List<ErrorExample> topFalsePositives(
      List<Example> examples,
      RankedCategory ranked,
      double[] scores,
      double t,
      String category,
      int limit) {
    List<ErrorExample> out = new ArrayList<>();
    for (int i : ranked.exampleOrder()) {
      if (out.size() >= limit) {
        break;
      }
      if (Double.isNaN(scores[i]) || scores[i] < t) {
        break; // descending order: nothing further is flagged
      }
      Example e = examples.get(i);
      if (!e.positive(category)) {
        out.add(error(e, category, scores[i]));
      }
    }
    return out;
  }

  private static List<ErrorExample> topFalseNegatives(
      List<Example> examples, double[] scores, double t, String category, int limit) {
    List<Integer> missed = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).positive(category) && (Double.isNaN(scores[i]) || scores[i] < t)) {
        missed.add(i);
      }
    }
    // Most confidently missed first: lowest score (no opinion lowest of all), then id.
    missed.sort(
        Comparator.<Integer>comparingDouble(
                i -> Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i])
            .thenComparing(i -> examples.get(i).id()));
    List<ErrorExample> out = new ArrayList<>();
    for (int i : missed.subList(0, Math.min(limit, missed.size()))) {
      out.add(error(examples.get(i), category, Double.isNaN(scores[i]) ? 0 : scores[i]));
    }
    return out;
  }

  static ErrorExample error(Example e, String category, double score) {
    String input =
        e.input().length() > INPUT_CHARS ? e.input().substring(0, INPUT_CHARS) + "…" : e.input();
    return new ErrorExample(
        e.id(),
        input,
        category,
        score,
        List.copyOf(e.labels()),
        List.copyOf(e.provenance().keySet()),
        e.flags());
  }

  /**
   * The blocking category with the highest score on example {@code i}, among the decided ones when
   * {@code decidedOnly}, else among every scored one; -1 when there is none.
   */
  private static int topBlocking(
      int i,
      List<String> categories,
      Scores scores,
      boolean[][] decided,
      EvalOptions options,
      boolean decidedOnly) {
    int top = -1;
    for (int c = 0; c < categories.size(); c++) {
      double s = scores.get(categories.get(c))[i];
      if ((decidedOnly ? decided[c][i] : !Double.isNaN(s))
          && options.blockingCategories().contains(categories.get(c))
          && (top < 0 || s > scores.get(categories.get(top))[i])) {
        top = c;
      }
    }
    return top;
  }

  private static OverBlocking overBlocking(
      List<Example> examples,
      Scores scores,
      List<String> categories,
      boolean[][] decided,
      boolean[] blocked,
      double[] resampledBlockRate,
      EvalOptions options) {
    long bg = 0;
    long bgBlocked = 0;
    long[] flagged = new long[categories.size()];
    List<int[]> blockedItems = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      if (!examples.get(i).background()) {
        continue;
      }
      bg++;
      for (int c = 0; c < categories.size(); c++) {
        if (decided[c][i]) {
          flagged[c]++;
        }
      }
      if (blocked[i]) {
        bgBlocked++;
        int top = topBlocking(i, categories, scores, decided, options, true);
        if (top < 0) {
          // A served verdict can block with no blocking category over its threshold (fail-closed
          // when a tier is down, a tenant override): show it under its highest-scoring blocking
          // category; with no score at all it counts in the rate but has no row to show.
          top = topBlocking(i, categories, scores, decided, options, false);
        }
        if (top >= 0) {
          blockedItems.add(new int[] {i, top});
        }
      }
    }
    Map<String, Double> rates = new TreeMap<>();
    for (int c = 0; c < categories.size(); c++) {
      if (bg > 0) {
        rates.put(categories.get(c), (double) flagged[c] / bg);
      }
    }
    blockedItems.sort(
        Comparator.<int[]>comparingDouble(a -> -scores.get(categories.get(a[1]))[a[0]])
            .thenComparing(a -> examples.get(a[0]).id()));
    List<ErrorExample> top = new ArrayList<>();
    for (int[] a :
        blockedItems.subList(0, Math.min(options.topExamples() * 2, blockedItems.size()))) {
      String cat = categories.get(a[1]);
      top.add(error(examples.get(a[0]), cat, scores.get(cat)[a[0]]));
    }
    Estimate rate =
        bg == 0
            ? null
            : options.bootstrapResamples() == 0
                ? Estimate.point((double) bgBlocked / bg)
                : Estimate.of(
                    (double) bgBlocked / bg,
                    Bootstrap.percentile(resampledBlockRate, options.confidence()));
    return new OverBlocking(bg, rate, rates, top);
  }

  private static ConfusionMatrix confusion(
      List<Example> examples, List<String> categories, boolean[][] decided, String[] status) {
    List<String> rows = new ArrayList<>();
    List<Integer> rowIdx = new ArrayList<>();
    List<Integer> scoredIdx = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      if (!status[c].equals(CategoryResult.NOT_SCORED)) {
        scoredIdx.add(c);
        columns.add(categories.get(c));
      }
    }
    columns.add("none");
    for (int c : scoredIdx) {
      String id = categories.get(c);
      if (examples.stream().anyMatch(e -> e.positive(id))) {
        rows.add(id);
        rowIdx.add(c);
      }
    }
    long[][] counts = new long[rows.size()][columns.size()];
    long[] totals = new long[rows.size()];
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      for (int r = 0; r < rows.size(); r++) {
        if (!e.positive(rows.get(r))) {
          continue;
        }
        totals[r]++;
        boolean any = false;
        for (int j = 0; j < scoredIdx.size(); j++) {
          if (decided[scoredIdx.get(j)][i]) {
            counts[r][j]++;
            any = true;
          }
        }
        if (!any) {
          counts[r][columns.size() - 1]++;
        }
      }
    }
    return new ConfusionMatrix(rows, columns, counts, totals);
  }

  static double ratio(long num, long den) {
    return den == 0 ? Double.NaN : (double) num / den;
  }

  private static boolean anyScore(double[] s) {
    for (double v : s) {
      if (!Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }
}
