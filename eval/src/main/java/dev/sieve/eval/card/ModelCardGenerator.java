package dev.sieve.eval.card;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.eval.calibration.CategoryCalibration;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.report.SliceTable;
import dev.sieve.eval.threshold.ThresholdChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ModelCard} from {@link CardInputs} and writes model-card.json, model-card.md and
 * the self-contained model-card.html. The JSON is written first and the pages are rendered from the
 * JSON as read back, so the three files always agree and regenerating from the JSON reproduces the
 * pages byte for byte.
 */
public final class ModelCardGenerator {

  private ModelCardGenerator() {}

  /** The files of one card. */
  public record CardFiles(Path json, Path markdown, Path html, ModelCard card) {}

  /** Builds, writes and returns the card (as read back from its JSON). */
  public static CardFiles generate(CardInputs in) {
    ModelCard card = build(in);
    return write(in.modelDir(), card);
  }

  /** Writes JSON, then renders Markdown and HTML from the JSON. */
  public static CardFiles write(Path dir, ModelCard card) {
    try {
      Files.createDirectories(dir);
      String json = toJson(card);
      Path jsonFile = dir.resolve(ModelCard.JSON);
      Files.writeString(jsonFile, json, StandardCharsets.UTF_8);
      ModelCard back = fromJson(json);
      Path md = dir.resolve(ModelCard.MARKDOWN);
      Path html = dir.resolve(ModelCard.HTML);
      Files.writeString(md, MarkdownRenderer.render(back), StandardCharsets.UTF_8);
      Files.writeString(html, HtmlRenderer.render(back), StandardCharsets.UTF_8);
      return new CardFiles(jsonFile, md, html, back);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model card to " + dir, e);
    }
  }

  /** Re-renders model-card.md and .html from an existing model-card.json. */
  public static CardFiles rerender(Path dir) {
    ModelCard card = read(dir.resolve(ModelCard.JSON));
    return write(dir, card);
  }

  public static String toJson(ModelCard card) {
    try {
      return Json.card().writeValueAsString(card) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ModelCard fromJson(String json) {
    try {
      return Json.card().readValue(json, ModelCard.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a model card: " + e.getMessage(), e);
    }
  }

  public static ModelCard read(Path file) {
    try {
      ModelCard card = fromJson(Files.readString(file, StandardCharsets.UTF_8));
      if (!ModelCard.SCHEMA.equals(card.schema())) {
        throw new IllegalArgumentException(file + ": unknown card schema '" + card.schema() + "'");
      }
      return card;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Builds the card record (no I/O except hashing the artifacts). */
  public static ModelCard build(CardInputs in) {
    ModelMetadata meta = in.metadata();
    EvaluationResult ev = in.evaluation();
    List<ModelCard.Artifact> artifacts = new ArrayList<>();
    for (String a : meta.artifacts().stream().sorted().toList()) {
      Path file = in.modelDir().resolve(a);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "artifact " + a + " listed in model metadata is missing from " + in.modelDir());
      }
      try {
        artifacts.add(new ModelCard.Artifact(a, Sha256.ofFile(file), Files.size(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String scoreSpace = in.thresholds().scoreSpace();
    ModelCard.ModelDetails details =
        new ModelCard.ModelDetails(
            meta.name(),
            meta.version(),
            nz(meta.date()),
            nz(meta.tier()),
            nz(meta.type()),
            nz(meta.trainingAlgorithm()),
            meta.hyperparameters(),
            nz(meta.codeCommit()),
            artifacts,
            nz(meta.license()),
            nz(meta.owner()),
            nz(meta.contact()),
            in.predictionSource(),
            scoreSpace);

    ModelCard.IntendedUse use =
        new ModelCard.IntendedUse(
            meta.intendedUse() == null || meta.intendedUse().isBlank()
                ? Standard.INTENDED_USE
                : meta.intendedUse(),
            meta.primaryUsers().isEmpty() ? Standard.PRIMARY_USERS : meta.primaryUsers(),
            merge(Standard.OUT_OF_SCOPE, meta.outOfScope()));

    List<String> dims = ev.slices().stream().map(SliceTable::dimension).toList();
    ModelCard.Factors factors = new ModelCard.Factors(dims, in.protectedSlices());

    List<ThresholdChoice> thresholds = new ArrayList<>();
    for (CategoryResult c : ev.categories()) {
      ThresholdChoice t = in.thresholds().categories().get(c.category());
      if (t != null) {
        thresholds.add(t);
      }
    }
    ModelCard.MetricsSection metrics =
        new ModelCard.MetricsSection(
            thresholds,
            Standard.DEFINITIONS,
            ev.bootstrapResamples(),
            ev.seed(),
            ev.confidence(),
            ev.minPositives());

    List<String> rejectedSamples =
        in.rejected().stream().limit(10).map(r -> r.id() + ": " + r.reason()).toList();
    ModelCard.EvaluationData data =
        new ModelCard.EvaluationData(
            in.datasetVersion(),
            in.manifestSha256(),
            ev.split(),
            in.inputs(),
            ev.examples(),
            ev.backgroundExamples(),
            in.dataCard(),
            in.rejected().size(),
            rejectedSamples);

    ModelCard.TrainingData training =
        new ModelCard.TrainingData(
            meta.trainingDatasetVersion() == null
                ? in.datasetVersion()
                : meta.trainingDatasetVersion(),
            in.classBalance(),
            nz(meta.classWeighting()),
            meta.resampling() == null ? "" : meta.resampling());

    List<ModelCard.CalibrationRow> calRows = new ArrayList<>();
    String byTrainer = in.calibration() == null ? selfCalibration(meta) : null;
    for (CategoryResult c : ev.categories()) {
      CategoryCalibration cal =
          in.calibration() == null ? null : in.calibration().categories().get(c.category());
      if (cal == null && byTrainer != null) {
        // A self-calibrating model: its served scores are its trainer's calibrated probabilities,
        // so
        // "none" would read as "uncalibrated" (issue #17). The ECE shown is that of the served
        // scores.
        calRows.add(
            new ModelCard.CalibrationRow(
                c.category(),
                SELF_CALIBRATED,
                "calibrated by its trainer: "
                    + byTrainer
                    + "; the evaluator fits nothing on top, and ECE after"
                    + " is the served scores' ECE on "
                    + ev.split(),
                Map.of(),
                null,
                c.ece()));
        continue;
      }
      calRows.add(
          new ModelCard.CalibrationRow(
              c.category(),
              cal == null ? "none" : cal.calibrator().method(),
              cal == null ? "no calibration applied" : cal.reason(),
              cal == null ? Map.of() : cal.cvLogLoss(),
              in.calibration() == null ? c.ece() : c.eceUncalibrated(),
              in.calibration() == null ? null : c.ece()));
    }
    ModelCard.CalibrationSummary calibration =
        new ModelCard.CalibrationSummary(
            in.calibration() == null ? "" : "dev", scoreSpace, calRows);

    List<String> caveats = new ArrayList<>(caveats(in));
    caveats.addAll(meta.caveats());
    return new ModelCard(
        ModelCard.SCHEMA,
        summary(meta, ev, in.datasetVersion(), in.servedActions()),
        details,
        use,
        factors,
        metrics,
        data,
        training,
        ev,
        calibration,
        in.baselines(),
        merge(Standard.ETHICS, meta.ethicalConsiderations()),
        caveats,
        LeaveOneSourceOut.read(in.modelDir()).orElse(null));
  }

  /** Calibration method shown for a model whose trainer calibrates the served scores. */
  public static final String SELF_CALIBRATED = "by the trainer";

  /**
   * How a model calibrates its own scores, from its metadata: the {@code calibration}
   * hyper-parameter, else the calibration clause of the training algorithm; null when neither says.
   */
  static String selfCalibration(ModelMetadata meta) {
    Object declared =
        meta.hyperparameters() == null ? null : meta.hyperparameters().get("calibration");
    if (declared instanceof String d && !d.isBlank()) {
      return d;
    }
    String algorithm = nz(meta.trainingAlgorithm());
    for (String clause : algorithm.split("[;.]")) {
      String lower = clause.toLowerCase(Locale.ROOT);
      if (lower.contains("platt") || lower.contains("calibration") || lower.contains("isotonic")) {
        return clause.strip();
      }
    }
    return null;
  }

  static ModelCard.ExecutiveSummary summary(
      ModelMetadata meta, EvaluationResult ev, String dataset, ServedActions actions) {
    List<ModelCard.SummaryRow> rows = new ArrayList<>();
    List<String> unmeasured = new ArrayList<>();
    CategoryResult weakest = null;
    for (CategoryResult c : ev.categories()) {
      Optional<Category> cat = Taxonomy.v1().find(c.category());
      String display = cat.map(Category::displayName).orElse(c.category());
      String action = actions.actionOf(c.category());
      Long catches =
          c.measured() && c.recall() != null && c.recall().value() != null
              ? Math.round(c.recall().value() * 100)
              : null;
      Long sites = per1000(ev, c.category(), "input:url");
      Long texts = per1000(ev, c.category(), "input:text");
      Long pages = per1000(ev, c.category(), "input:html");
      String note =
          switch (c.status()) {
            case CategoryResult.INSUFFICIENT ->
                "not measured: only "
                    + c.support()
                    + " labelled examples (need "
                    + ev.minPositives()
                    + ")";
            case CategoryResult.NOT_SCORED -> "not scored by this model";
            default -> "";
          };
      if (!c.measured()) {
        unmeasured.add(c.category());
      } else if (catches != null
          && (weakest == null || c.recall().value() < weakest.recall().value())) {
        weakest = c;
      }
      rows.add(
          new ModelCard.SummaryRow(
              c.category(), display, action, catches, sites, note, texts, pages));
    }
    StringBuilder p = new StringBuilder();
    p.append(meta.name()).append(' ').append(meta.version());
    if (meta.tier() != null && !meta.tier().isBlank()) {
      p.append(" (").append(meta.tier()).append(" tier)");
    }
    p.append(" was tested on ")
        .append(String.format(Locale.ROOT, "%,d", ev.examples()))
        .append(" held-out inputs (")
        .append(ev.split())
        .append(" split of dataset ")
        .append(dataset)
        .append(
            "), none of whose sites or authors were used for training or for choosing thresholds.");
    if (ev.overBlocking().blockRate() != null && ev.overBlocking().blockRate().value() != null) {
      p.append(" Of every 1,000 ordinary inputs (")
          .append(ordinaryKinds(ev))
          .append(") it would flag ")
          .append(Math.round(ev.overBlocking().blockRate().value() * 1000))
          .append(" in a blocking category.");
    }
    if (weakest != null) {
      p.append(" Its weakest measured category is ")
          .append(weakest.category())
          .append(", where it catches ")
          .append(Math.round(weakest.recall().value() * 100))
          .append(" of 100 harmful items.");
    }
    if (!unmeasured.isEmpty()) {
      p.append(" Not measured (too few labelled examples, or not scored): ")
          .append(String.join(", ", unmeasured))
          .append(" — treat these as unknown, not as safe.");
    }
    p.append(
            " The table shows, per category, how many of 100 harmful items it catches and how many"
                + " of 1,000 ordinary ")
        .append(ordinaryKinds(ev))
        .append(" it wrongly flags.");
    return new ModelCard.ExecutiveSummary(p.toString(), rows);
  }

  /** Flags per 1,000 ordinary inputs of one group (null when the group has no ordinary inputs). */
  static Long per1000(EvaluationResult ev, String category, String group) {
    if (ev.externalValidity() == null) {
      return null;
    }
    return ev.externalValidity().of(category).stream()
        .filter(r -> r.group().equals(group) && r.rate() != null && r.rate().value() != null)
        .map(r -> Math.round(r.rate().value() * 1000))
        .findFirst()
        .orElse(null);
  }

  /** "sites", "texts", "texts, pages", ... from the ordinary groups present. */
  static String ordinaryKinds(EvaluationResult ev) {
    if (ev.externalValidity() == null) {
      return "sites";
    }
    // In the order of the summary table's columns: sites, texts, pages.
    List<String> groups = ev.externalValidity().groups();
    List<String> kinds = new ArrayList<>();
    if (groups.contains("input:url")) {
      kinds.add("sites");
    }
    if (groups.contains("input:text")) {
      kinds.add("texts");
    }
    if (groups.contains("input:html")) {
      kinds.add("pages");
    }
    return kinds.isEmpty() ? "inputs" : String.join(", ", kinds);
  }

  static List<String> caveats(CardInputs in) {
    EvaluationResult ev = in.evaluation();
    List<String> out = new ArrayList<>();
    List<String> insufficient = new ArrayList<>();
    List<String> notScored = new ArrayList<>();
    for (CategoryResult c : ev.categories()) {
      if (c.status().equals(CategoryResult.INSUFFICIENT)) {
        insufficient.add(c.category() + " (" + c.support() + ")");
      } else if (c.status().equals(CategoryResult.NOT_SCORED)) {
        notScored.add(c.category());
      }
    }
    if (!insufficient.isEmpty()) {
      out.add(
          "Insufficient data (fewer than "
              + ev.minPositives()
              + " positives in the "
              + ev.split()
              + " split; no rates reported, background flag rates still are): "
              + String.join(", ", insufficient)
              + ".");
    }
    if (!notScored.isEmpty()) {
      out.add("Not scored by this model: " + String.join(", ", notScored) + ".");
    }
    if (!in.rejected().isEmpty()) {
      out.add(
          in.rejected().size()
              + " inputs were refused by the model (INVALID_ARGUMENT) and are excluded"
              + " from every metric; see evaluation_data.rejected_samples.");
    }
    for (ThresholdChoice t : in.thresholds().categories().values()) {
      if (!t.unmet().isEmpty()) {
        out.add(
            "Threshold of "
                + t.category()
                + " ("
                + t.status()
                + "): "
                + String.join("; ", t.unmet())
                + ".");
      }
    }
    if (ev.backgroundExamples() > 0) {
      out.add(
          "Ordinary inputs are weak negatives: popular-domain lists contain a few adult and gambling"
              + " sites and ordinary text sources are not hand-checked, so some 'over-blocked' ordinary items"
              + " may be correct flags; review the top list before acting on it.");
    }
    out.addAll(in.extraCaveats());
    return out;
  }

  private static List<String> merge(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** The standard's fixed texts. */
  static final class Standard {
    static final String INTENDED_USE =
        "Score web requests (URL and, when available, page content) against the Sieve v1 taxonomy so"
            + " that a K-12 filtering stack can apply each school's policy: block, allow, or alert a"
            + " counsellor.";
    static final List<String> PRIMARY_USERS =
        List.of(
            "The Sieve router (automated decisions under tenant policy)",
            "School and district IT administrators reviewing blocks",
            "Sieve engineers investigating misclassifications");
    static final List<String> OUT_OF_SCOPE =
        List.of(
            "Not a wellness or mental-health assessment of a student: a self_harm score describes content,"
                + " not a person, and must never be used to diagnose or discipline.",
            "Not a tool for monitoring or disciplining individual students.",
            "Not validated outside the categories, languages and input kinds measured in this card.");
    static final List<String> ETHICS =
        List.of(
            "Over-blocking harms students: LGBTQ+ resources, sex education, suicide-prevention help, news"
                + " and health information are measured as protected slices and must stay reachable.",
            "Under-blocking harms students too: self_harm and adult have recall floors in the release gate.",
            "Labels come from public block lists with known noise; every error list in this card shows the"
                + " label's source so a reviewer can tell a model error from a label error.");
    static final Map<String, String> DEFINITIONS = definitions();

    private static Map<String, String> definitions() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("support", "positives in the split whose label scope covers the category");
      d.put(
          "precision",
          "TP / (TP + FP) at the threshold, counting only items in the category's label scope");
      d.put("recall", "TP / (TP + FN) at the threshold");
      d.put("f1", "2TP / (2TP + FP + FN)");
      d.put(
          "auprc",
          "average precision: sum over thresholds of recall increase x precision (no interpolation)");
      d.put(
          "auroc",
          "probability a random positive outranks a random negative (ties count one half)");
      d.put(
          "background_flag_rate",
          "share of ordinary inputs (label scope '*': background sites, ordinary"
              + " texts, real pages) not labelled with the category that the model flags");
      d.put(
          "false_alert_rate",
          "share of ordinary inputs no alerting category labels that a decided alerting"
              + " category would alert on");
      d.put(
          "loso",
          "leave-one-source-out: a model trained, calibrated and thresholded without one source,"
              + " measured on that source");
      d.put(
          "block_rate",
          "share of items flagged in any category whose default action blocks or alerts");
      d.put("ece", "expected calibration error over 10 equal-width bins");
      d.put(
          "interval",
          "95% percentile bootstrap interval over resampled examples (seeded); Wilson interval for slice block rates");
      d.put(
          "insufficient_data", "fewer positives than the minimum in the split: no rate is printed");
      return Collections.unmodifiableMap(d);
    }

    private Standard() {}
  }
}
