package dev.sieve.url.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.data.Split;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.model.UrlModel;
import dev.sieve.url.table.KnownDomainTable;
import dev.sieve.url.table.LabelSet;
import dev.sieve.url.train.DomainExamples;
import dev.sieve.url.train.FeatureMatrix;
import dev.sieve.url.train.UrlModelTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates a lexical URL model on the TEST split of its dataset version (test is used here and
 * only here), with the baselines side by side, and returns the numbers as JSON for the training
 * report.
 *
 * <p>Definitions (also written into the training report):
 *
 * <ul>
 *   <li>Evaluation set of category c: test hosts whose labels are complete for c, i.e. hosts
 *       labelled c (positives) and background hosts (negatives: ordinary popular sites with list
 *       members subtracted). Hosts of other lists are unknown for c and excluded; how often the
 *       model flags them is reported separately (cross-list flag rates, "strict" precision).
 *   <li>Model only: every test host is from a registered domain unseen in training (the split is by
 *       registered domain), so these numbers measure generalization to unseen sites.
 *   <li>As deployed: the known-domain table built from the train and dev splits first, the model
 *       for hosts it does not match. (The production table holds every split; on test hosts it
 *       would match everything by construction, which measures nothing.)
 *   <li>Baselines: exact list lookup (train-split table against test hosts); the UT1 adult URL
 *       expressions (adult only).
 * </ul>
 */
public final class UrlModelEvaluator {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final double GOAL_PRECISION = 0.95;
  private static final int MIN_SUPPORT_FOR_MACRO = 100;
  private static final int MIN_SUPPORT_TO_REPORT = 30;
  private static final int BOOTSTRAP_ROUNDS = 200;

  private final DomainExamples examples;
  private final FeatureMatrix matrix;
  private final LexicalUrlModel model;
  private final int[] taxonomyBit;

  /**
   * @param taxonomyBit for each model category, its bit in the examples' label masks
   */
  public UrlModelEvaluator(
      DomainExamples examples, FeatureMatrix matrix, LexicalUrlModel model, int[] taxonomyBit) {
    this.examples = examples;
    this.matrix = matrix;
    this.model = model;
    this.taxonomyBit = taxonomyBit;
  }

  /** Scores of one category's evaluation set. */
  private record Scored(
      int[] rows, double[] logits, double[] scores, boolean[] positive, boolean[] background) {}

  public ObjectNode evaluate() {
    ObjectNode out = JSON.objectNode();
    int c = model.categories().size();
    int[] testRows = examples.rows(Split.TEST, UrlModelTrainer.EVALUATION_GROUP_CAP);
    double[][] logits = logitsOf(testRows);

    KnownDomainTable trainTable = table(Set.of(Split.TRAIN));
    KnownDomainTable trainDevTable = table(Set.of(Split.TRAIN, Split.DEV));
    int[] trainTableLabels = lookupAll(trainTable, testRows);
    int[] deployedTableLabels = lookupAll(trainDevTable, testRows);
    Ut1ExpressionBaseline ut1 = Ut1ExpressionBaseline.load();

    ObjectNode modelOnly = out.putObject("model_only");
    ObjectNode asDeployed = out.putObject("as_deployed");
    ObjectNode exactLookup = out.putObject("baseline_exact_list_lookup");
    ObjectNode ut1Node = out.putObject("baseline_ut1_expressions");
    ObjectNode calibration = out.putObject("calibration");
    ObjectNode crossList = out.putObject("cross_list_flag_rates");
    ObjectNode topErrors = out.putObject("top_errors");
    ObjectNode slices = out.putObject("slices");
    long[] microModel = new long[3];
    long[] microDeployed = new long[3];
    List<Double> macroModel = new ArrayList<>();
    List<Double> macroDeployed = new ArrayList<>();
    List<String> macroCategories = new ArrayList<>();

    for (int j = 0; j < c; j++) {
      String category = model.categories().get(j);
      int bit = taxonomyBit[j];
      double threshold = model.params(j).threshold();
      Scored s = scored(testRows, logits, j, bit);
      int support = count(s.positive);

      ObjectNode m = modelOnly.putObject(category);
      BinaryMetrics.Confusion conf = BinaryMetrics.confusion(s.scores, s.positive, threshold);
      putConfusion(m, conf, support, count(s.background), threshold);
      m.put("threshold_rule", model.params(j).thresholdRule());
      putNumber(m, "auprc", BinaryMetrics.averagePrecision(s.scores, s.positive));
      putNumber(
          m,
          "max_recall_at_precision_0.95_oracle",
          BinaryMetrics.maxRecallAtPrecision(s.scores, s.positive, GOAL_PRECISION));
      putNumber(m, "background_flag_rate", backgroundFlagRate(s, threshold));
      putNumber(
          m,
          "background_flag_rate_needed_for_recall_0.85",
          BinaryMetrics.negativeRateAtRecall(s.scores, s.positive, 0.85));
      if (support >= MIN_SUPPORT_TO_REPORT) {
        double[] ci =
            BinaryMetrics.bootstrap(s.scores, s.positive, threshold, BOOTSTRAP_ROUNDS, 7 + j);
        ObjectNode ciNode = m.putObject("ci95");
        putNumber(ciNode, "precision_low", ci[0]);
        putNumber(ciNode, "precision_high", ci[1]);
        putNumber(ciNode, "recall_low", ci[2]);
        putNumber(ciNode, "recall_high", ci[3]);
        putNumber(ciNode, "f1_low", ci[4]);
        putNumber(ciNode, "f1_high", ci[5]);
      } else {
        m.put(
            "note",
            "fewer than " + MIN_SUPPORT_TO_REPORT + " test positives: too few labels to measure");
      }
      putNumber(m, "precision_strict", strictPrecision(testRows, logits, j, bit, threshold));
      putNumber(
          m, "ordinary_list_flag_rate", ordinaryListFlagRate(testRows, logits, j, bit, threshold));

      // As deployed: table (train+dev) first, then the model.
      double[] deployedScores = new double[s.rows.length];
      boolean[] deployedBaseline = new boolean[s.rows.length];
      boolean[] ut1Predicted = new boolean[s.rows.length];
      for (int i = 0; i < s.rows.length; i++) {
        int t = indexOf(testRows, s.rows[i]);
        deployedScores[i] = (deployedTableLabels[t] & (1 << bit)) != 0 ? 1.0 : s.scores[i];
        deployedBaseline[i] = (trainTableLabels[t] & (1 << bit)) != 0;
        ut1Predicted[i] = ut1.matches(examples.host(s.rows[i]) + "/");
      }
      ObjectNode d = asDeployed.putObject(category);
      BinaryMetrics.Confusion dconf =
          BinaryMetrics.confusion(deployedScores, s.positive, threshold);
      putConfusion(d, dconf, support, count(s.background), threshold);
      putNumber(d, "auprc", BinaryMetrics.averagePrecision(deployedScores, s.positive));
      putNumber(
          d,
          "background_flag_rate",
          backgroundFlagRate(
              new Scored(s.rows, s.logits, deployedScores, s.positive, s.background), threshold));
      d.put("table_hits", countTableHits(deployedTableLabels, testRows, s.rows, bit));

      ObjectNode e = exactLookup.putObject(category);
      putConfusion(
          e,
          BinaryMetrics.confusion(deployedBaseline, s.positive),
          support,
          count(s.background),
          Double.NaN);
      if (category.equals("adult")) {
        ObjectNode u = ut1Node.putObject(category);
        putConfusion(
            u,
            BinaryMetrics.confusion(ut1Predicted, s.positive),
            support,
            count(s.background),
            Double.NaN);
        u.put("expressions", ut1.size());
        u.put("applied_to", "host + \"/\" (lower-case), regex find");
      }

      if (support > 0) {
        microModel[0] += conf.tp();
        microModel[1] += conf.fp();
        microModel[2] += conf.fn();
        microDeployed[0] += dconf.tp();
        microDeployed[1] += dconf.fp();
        microDeployed[2] += dconf.fn();
      }
      if (support >= MIN_SUPPORT_FOR_MACRO) {
        macroModel.add(conf.f1());
        macroDeployed.add(dconf.f1());
        macroCategories.add(category);
      }

      // Calibration: raw sigmoid(logit) vs Platt.
      double[] raw = new double[s.logits.length];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = 1 / (1 + Math.exp(-s.logits[i]));
      }
      ObjectNode cal = calibration.putObject(category);
      putNumber(cal, "ece_before", BinaryMetrics.expectedCalibrationError(raw, s.positive, 10));
      putNumber(cal, "ece_after", BinaryMetrics.expectedCalibrationError(s.scores, s.positive, 10));
      ArrayNode bins = cal.putArray("reliability_after");
      double[][] table = BinaryMetrics.reliability(s.scores, s.positive, 10);
      for (int b = 0; b < table.length; b++) {
        ObjectNode bin = bins.addObject();
        bin.put("bin", b);
        putNumber(bin, "mean_predicted", table[b][0]);
        putNumber(bin, "observed_rate", table[b][1]);
        bin.put("count", (long) table[b][2]);
      }
      cal.put(
          "note",
          "probabilities are calibrated for the dev mix of list positives and background hosts, not for the prior of real traffic");

      crossList.set(category, crossListRates(testRows, logits, j, bit, threshold));
      topErrors.set(category, topErrors(s, threshold));
      slices.set(category, slicesOf(s, threshold));
    }
    out.set("category_confusion", categoryConfusion(testRows, logits));
    out.set("protected_slices", protectedSlices(testRows, logits));
    out.set("background_by_popularity", backgroundByPopularity(testRows, logits));

    ObjectNode summary = out.putObject("summary");
    summary.put("macro_f1_categories", String.join(",", macroCategories));
    putNumber(summary, "model_only_macro_f1", mean(macroModel));
    putNumber(summary, "as_deployed_macro_f1", mean(macroDeployed));
    putNumber(summary, "model_only_micro_f1", microF1(microModel));
    putNumber(summary, "as_deployed_micro_f1", microF1(microDeployed));
    summary.put(
        "macro_rule",
        "mean F1 over categories with >= " + MIN_SUPPORT_FOR_MACRO + " test positives");
    out.set("goals", goals(out));
    return out;
  }

  private int countTableHits(int[] tableLabels, int[] testRows, int[] rows, int bit) {
    int hits = 0;
    for (int row : rows) {
      if ((tableLabels[indexOf(testRows, row)] & (1 << bit)) != 0) {
        hits++;
      }
    }
    return hits;
  }

  private ObjectNode goals(ObjectNode out) {
    ObjectNode goals = JSON.objectNode();
    ObjectNode modelOnly = (ObjectNode) out.get("model_only");
    if (modelOnly.has("adult")) {
      ObjectNode g = goals.putObject("adult_recall_at_precision_0.95");
      g.put("goal", "recall >= 0.85 at precision >= 0.95");
      g.set("precision_at_threshold", modelOnly.get("adult").get("precision"));
      g.set("recall_at_threshold", modelOnly.get("adult").get("recall"));
      g.set(
          "oracle_max_recall_at_precision_0.95",
          modelOnly.get("adult").get("max_recall_at_precision_0.95_oracle"));
      g.set(
          "background_flag_rate_needed_for_recall_0.85",
          modelOnly.get("adult").get("background_flag_rate_needed_for_recall_0.85"));
      g.put(
          "met",
          modelOnly.get("adult").path("precision").asDouble() >= 0.95
              && modelOnly.get("adult").path("recall").asDouble() >= 0.85);
    }
    for (String category : List.of("gambling", "proxy_circumvention")) {
      if (modelOnly.has(category)) {
        ObjectNode g = goals.putObject(category + "_f1");
        g.put("goal", "F1 >= 0.8");
        g.set("f1", modelOnly.get(category).get("f1"));
        g.put("met", modelOnly.get(category).path("f1").asDouble() >= 0.8);
      }
    }
    ObjectNode macro = goals.putObject("macro_f1");
    macro.put("goal", "macro-F1 >= 0.7 over categories with >= 100 test positives");
    macro.set("model_only", out.get("summary").get("model_only_macro_f1"));
    macro.set("as_deployed", out.get("summary").get("as_deployed_macro_f1"));
    macro.put("met", out.get("summary").path("model_only_macro_f1").asDouble() >= 0.7);
    return goals;
  }

  private static double microF1(long[] tpFpFn) {
    return new BinaryMetrics.Confusion(tpFpFn[0], tpFpFn[1], tpFpFn[2], 0).f1();
  }

  private static double mean(List<Double> values) {
    return values.isEmpty()
        ? Double.NaN
        : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static int indexOf(int[] sortedRows, int row) {
    return Arrays.binarySearch(sortedRows, row);
  }

  /** Raw logits [category][test row index], computed through the served model's weights. */
  private double[][] logitsOf(int[] rows) {
    int c = model.categories().size();
    double[][] out = new double[c][rows.length];
    double[] tmp = new double[c];
    for (int i = 0; i < rows.length; i++) {
      model.rawLogits(matrix.buckets(), matrix.rowStart(rows[i]), matrix.rowEnd(rows[i]), tmp);
      for (int j = 0; j < c; j++) {
        out[j][i] = tmp[j];
      }
    }
    return out;
  }

  private Scored scored(int[] testRows, double[][] logits, int j, int bit) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < testRows.length; i++) {
      if (examples.inScope(testRows[i], bit)) {
        idx.add(i);
      }
    }
    int n = idx.size();
    int[] rows = new int[n];
    double[] l = new double[n];
    double[] s = new double[n];
    boolean[] p = new boolean[n];
    boolean[] b = new boolean[n];
    for (int k = 0; k < n; k++) {
      int i = idx.get(k);
      rows[k] = testRows[i];
      l[k] = logits[j][i];
      s[k] = model.calibrate(j, l[k]);
      p[k] = examples.isPositive(rows[k], bit);
      b[k] = examples.isBackground(rows[k]) && !p[k];
    }
    return new Scored(rows, l, s, p, b);
  }

  private static int count(boolean[] values) {
    int n = 0;
    for (boolean v : values) {
      if (v) n++;
    }
    return n;
  }

  private static double backgroundFlagRate(Scored s, double threshold) {
    int flagged = 0;
    int total = 0;
    for (int i = 0; i < s.scores.length; i++) {
      if (s.background[i]) {
        total++;
        if (s.scores[i] >= threshold) flagged++;
      }
    }
    return total == 0 ? Double.NaN : (double) flagged / total;
  }

  /**
   * Flag rate on hosts listed only under categories the K-12 default policy allows (shopping, news,
   * sports, games, streaming, social media): ordinary categorized sites, so for a blocking category
   * this is over-blocking that the popular-site background does not show.
   */
  private double ordinaryListFlagRate(
      int[] testRows, double[][] logits, int j, int bit, double threshold) {
    int allowMask = 0;
    List<String> taxonomy = examples.categories();
    for (int k = 0; k < taxonomy.size(); k++) {
      var category = Taxonomy.v1().find(taxonomy.get(k));
      if (category.isPresent() && category.get().defaultAction() == DefaultAction.ALLOW) {
        allowMask |= 1 << k;
      }
    }
    long n = 0;
    long flagged = 0;
    for (int i = 0; i < testRows.length; i++) {
      int labels = examples.labelMask(testRows[i]);
      if (labels == 0 || (labels & ~allowMask) != 0 || (labels & (1 << bit)) != 0) {
        continue;
      }
      n++;
      if (model.calibrate(j, logits[j][i]) >= threshold) flagged++;
    }
    return n == 0 ? Double.NaN : (double) flagged / n;
  }

  /** Precision when hosts of every other list also count as negatives (a pessimistic bound). */
  private double strictPrecision(
      int[] testRows, double[][] logits, int j, int bit, double threshold) {
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < testRows.length; i++) {
      if (model.calibrate(j, logits[j][i]) >= threshold) {
        if (examples.isPositive(testRows[i], bit)) tp++;
        else fp++;
      }
    }
    return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
  }

  private ObjectNode crossListRates(
      int[] testRows, double[][] logits, int j, int bit, double threshold) {
    Map<String, long[]> bySource = new TreeMap<>();
    for (int i = 0; i < testRows.length; i++) {
      int row = testRows[i];
      if (examples.isBackground(row) || examples.isPositive(row, bit)) {
        continue;
      }
      boolean flagged = model.calibrate(j, logits[j][i]) >= threshold;
      for (String source : examples.sources(row)) {
        long[] counts = bySource.computeIfAbsent(source, x -> new long[2]);
        counts[0]++;
        if (flagged) counts[1]++;
      }
    }
    ObjectNode node = JSON.objectNode();
    for (Map.Entry<String, long[]> e : bySource.entrySet()) {
      if (e.getValue()[0] >= 20) {
        ObjectNode s = node.putObject(e.getKey());
        s.put("hosts", e.getValue()[0]);
        putNumber(s, "flag_rate", (double) e.getValue()[1] / e.getValue()[0]);
      }
    }
    return node;
  }

  private ObjectNode topErrors(Scored s, double threshold) {
    ObjectNode node = JSON.objectNode();
    Integer[] byScore = BinaryMetrics.byScoreDescending(s.scores);
    ArrayNode fps = node.putArray("false_positives_background");
    for (int k = 0; k < byScore.length && fps.size() < 10; k++) {
      int i = byScore[k];
      if (s.background[i] && s.scores[i] >= threshold) {
        fps.add(errorEntry(s.rows[i], s.scores[i]));
      }
    }
    ArrayNode fns = node.putArray("false_negatives");
    for (int k = byScore.length - 1; k >= 0 && fns.size() < 10; k--) {
      int i = byScore[k];
      if (s.positive[i] && s.scores[i] < threshold) {
        fns.add(errorEntry(s.rows[i], s.scores[i]));
      }
    }
    return node;
  }

  private ObjectNode errorEntry(int row, double score) {
    ObjectNode e = JSON.objectNode();
    e.put("host", examples.host(row));
    putNumber(e, "score", score);
    e.put("sources", String.join(",", examples.sources(row)));
    if (examples.rank(row) > 0) {
      e.put("rank", examples.rank(row));
    }
    try {
      NormalizedUrl url = UrlNormalizer.instance().normalizeHost(examples.host(row), "http");
      UrlModel.Prediction p = model.predict(url);
      ArrayNode features = e.putArray("top_features");
      int best = 0;
      for (int j = 1; j < model.categories().size(); j++) {
        if (p.logit(j) > p.logit(best)) best = j;
      }
      e.put("top_category", model.categories().get(best));
      for (UrlModel.FeatureContribution f : p.topFeatures(best, 3)) {
        features.add(f.feature() + " " + (f.weight() >= 0 ? "+" : "") + f.weight());
      }
    } catch (UrlRejectedException ex) {
      e.put("top_features_error", ex.getMessage());
    }
    return e;
  }

  /** Recall per public suffix (top 5 among positives) and flag rate among background by suffix. */
  private ObjectNode slicesOf(Scored s, double threshold) {
    Map<String, long[]> bySuffix = new HashMap<>();
    for (int i = 0; i < s.rows.length; i++) {
      if (!s.positive[i]) continue;
      String suffix = tld(examples.host(s.rows[i]));
      long[] counts = bySuffix.computeIfAbsent(suffix, x -> new long[2]);
      counts[0]++;
      if (s.scores[i] >= threshold) counts[1]++;
    }
    ObjectNode node = JSON.objectNode();
    ObjectNode recall = node.putObject("recall_by_tld");
    bySuffix.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .limit(6)
        .forEach(
            e -> {
              ObjectNode t = recall.putObject(e.getKey());
              t.put("positives", e.getValue()[0]);
              putNumber(t, "recall", (double) e.getValue()[1] / e.getValue()[0]);
            });
    return node;
  }

  private static String tld(String host) {
    int dot = host.lastIndexOf('.');
    return dot < 0 ? host : host.substring(dot + 1);
  }

  /** For test hosts of each true category: the rate at which each model category fires. */
  private ObjectNode categoryConfusion(int[] testRows, double[][] logits) {
    ObjectNode node = JSON.objectNode();
    int c = model.categories().size();
    for (int t = 0; t < c; t++) {
      int bit = taxonomyBit[t];
      long n = 0;
      long[] fired = new long[c];
      for (int i = 0; i < testRows.length; i++) {
        if (!examples.isPositive(testRows[i], bit)) continue;
        n++;
        for (int j = 0; j < c; j++) {
          if (model.calibrate(j, logits[j][i]) >= model.params(j).threshold()) fired[j]++;
        }
      }
      if (n == 0) continue;
      ObjectNode row = node.putObject(model.categories().get(t));
      row.put("hosts", n);
      for (int j = 0; j < c; j++) {
        if (fired[j] > 0) {
          putNumber(row, model.categories().get(j), (double) fired[j] / n);
        }
      }
    }
    return node;
  }

  /** Flag rates on the sources the data pipeline keeps as slices (sex education, lingerie, ...). */
  private ObjectNode protectedSlices(int[] testRows, double[][] logits) {
    ObjectNode node = JSON.objectNode();
    Set<String> sliceSources = new HashSet<>();
    for (int i = 0; i < examples.size(); i++) {
      if (examples.labelMask(i) == 0 && !examples.isBackground(i)) {
        sliceSources.addAll(examples.sources(i));
      }
    }
    // Every split: these hosts are never positives for any category, so they are not training
    // positives either; train hosts were seen only as weak out-of-scope negatives. Test-only counts
    // are reported too.
    for (String source : new TreeSet<>(sliceSources)) {
      long n = 0;
      int c = model.categories().size();
      long[] fired = new long[c];
      for (int i = 0; i < testRows.length; i++) {
        int row = testRows[i];
        if (examples.labelMask(row) != 0 || !examples.sources(row).contains(source)) continue;
        n++;
        for (int j = 0; j < c; j++) {
          if (model.calibrate(j, logits[j][i]) >= model.params(j).threshold()) fired[j]++;
        }
      }
      if (n == 0) continue;
      ObjectNode s = node.putObject(source);
      s.put("test_hosts", n);
      for (int j = 0; j < c; j++) {
        if (fired[j] > 0) {
          putNumber(s, model.categories().get(j), (double) fired[j] / n);
        }
      }
    }
    return node;
  }

  private ObjectNode backgroundByPopularity(int[] testRows, double[][] logits) {
    ObjectNode node = JSON.objectNode();
    String[] names = {"rank_1-1000", "rank_1001-10000", "rank_10001+", "unranked"};
    int c = model.categories().size();
    long[] n = new long[4];
    long[][] fired = new long[4][c];
    long[] anyFired = new long[4];
    for (int i = 0; i < testRows.length; i++) {
      int row = testRows[i];
      if (!examples.isBackground(row)) continue;
      int rank = examples.rank(row);
      int b = rank <= 0 ? 3 : rank <= 1000 ? 0 : rank <= 10000 ? 1 : 2;
      n[b]++;
      boolean any = false;
      for (int j = 0; j < c; j++) {
        if (model.calibrate(j, logits[j][i]) >= model.params(j).threshold()) {
          fired[b][j]++;
          any = true;
        }
      }
      if (any) anyFired[b]++;
    }
    for (int b = 0; b < 4; b++) {
      if (n[b] == 0) continue;
      ObjectNode s = node.putObject(names[b]);
      s.put("hosts", n[b]);
      putNumber(s, "any_category", (double) anyFired[b] / n[b]);
      for (int j = 0; j < c; j++) {
        if (fired[b][j] > 0) {
          putNumber(s, model.categories().get(j), (double) fired[b][j] / n[b]);
        }
      }
    }
    return node;
  }

  private KnownDomainTable table(Set<Split> splits) {
    KnownDomainTable.Builder builder = KnownDomainTable.builder();
    List<String> taxonomy = examples.categories();
    Set<String> all = new HashSet<>(taxonomy);
    Map<Integer, LabelSet> sets = new LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      int mask = examples.labelMask(i);
      if (mask == 0 || examples.isBackground(i) || !splits.contains(examples.split(i))) {
        continue;
      }
      LabelSet set =
          sets.computeIfAbsent(
              mask,
              mk -> {
                List<String> labels = new ArrayList<>();
                for (int k = 0; k < taxonomy.size(); k++) {
                  if ((mk & (1 << k)) != 0) labels.add(taxonomy.get(k));
                }
                return LabelSet.of(labels, Map.of(), all);
              });
      builder.add(examples.host(i), set);
    }
    return builder.build();
  }

  private int[] lookupAll(KnownDomainTable table, int[] rows) {
    Map<String, Integer> bit = new HashMap<>();
    for (int k = 0; k < examples.categories().size(); k++) {
      bit.put(examples.categories().get(k), k);
    }
    int[] out = new int[rows.length];
    UrlNormalizer normalizer = UrlNormalizer.instance();
    for (int i = 0; i < rows.length; i++) {
      try {
        NormalizedUrl url = normalizer.normalizeHost(examples.host(rows[i]), "http");
        for (KnownDomainTable.Match match : table.lookup(url)) {
          for (String label : match.labels().labels()) {
            out[i] |= 1 << bit.get(label);
          }
        }
      } catch (UrlRejectedException e) {
        // unmatched
      }
    }
    return out;
  }

  private static void putConfusion(
      ObjectNode node, BinaryMetrics.Confusion conf, int support, int negatives, double threshold) {
    node.put("support", support);
    node.put("background_negatives", negatives);
    if (!Double.isNaN(threshold)) {
      putNumber(node, "threshold", threshold);
    }
    node.put("tp", conf.tp());
    node.put("fp", conf.fp());
    node.put("fn", conf.fn());
    node.put("tn", conf.tn());
    putNumber(node, "precision", conf.precision());
    putNumber(node, "recall", conf.recall());
    putNumber(node, "f1", conf.f1());
  }

  static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, Math.round(value * 10000) / 10000.0);
    }
  }
}
