package dev.sieve.llm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.eval.card.TrainingReport;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.eval.ZeroShotEvaluation.ConditionResult;
import dev.sieve.llm.eval.ZeroShotEvaluation.SplitResult;
import dev.sieve.llm.eval.ZeroShotEvaluation.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the zero-shot tier's training report, {@code training-report.json} and {@code
 * training-report.md}, from measured results only: every number comes from {@link
 * ZeroShotEvaluation}; nothing is typed in. It also writes {@code model-metadata.json} from the
 * same JSON ({@link ZeroShotMetadata}).
 *
 * <p>Why a report and not the card: it is the builder's dev-side view (description-only versus
 * few-shot conditions, URL tasks, per-fit calibration, sampling pools), in this tier's own format.
 * The model card that gates a release, {@code model-card.*}, is the evaluation standard's, written
 * by {@code ./sieve eval run --tier llm --model-dir models/llm-zero-shot/<version>} from the
 * metadata and its own measurements.
 */
public final class TrainingReportWriter {

  /** The report's machine-readable file. */
  public static final String JSON = TrainingReport.JSON;

  /** The report rendered for people. */
  public static final String MARKDOWN = TrainingReport.MARKDOWN;

  /** How the tier scores, in the report and in the metadata. */
  static final String METHOD =
      "Scores a category by how much closer a text (or a URL rendered as words) is to the category's "
          + "description and positive examples than to its negative examples and a background of ordinary pages "
          + "(max over ~80-word chunks), mapped to a probability by a per-category logistic calibration fitted on the "
          + "dev split.";

  /** What the tier is for, in the report and in the metadata. */
  static final String INTENDED_USE =
      "a second opinion for the router on uncertain core categories and the only scorer for emerging categories.";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Run facts that go into the report header.
   *
   * @param date when the version was built (ISO-8601): the metadata's date, never the card's "now"
   * @param codeCommit commit of the code that built it ("+dirty" with uncommitted changes)
   */
  public record RunInfo(
      String version,
      String date,
      String codeCommit,
      String datasetVersion,
      String catalogVersion,
      String encoder,
      long seed,
      int maxPositives,
      int maxNegatives,
      int fewShotDraws,
      String command,
      Map<String, Long> pools) {}

  /**
   * Fewer positives than this in a split: the evaluation standard's "not measured" level. The brief
   * for this tier asks for the numbers anyway; the report prints them flagged as indicative only.
   */
  static final int MIN_POSITIVES = 30;

  private TrainingReportWriter() {}

  public static void write(
      Path dir, RunInfo run, List<TaskResult> results, Calibration calibration) {
    try {
      Files.createDirectories(dir);
      ObjectNode report = json(run, results, calibration);
      Files.writeString(dir.resolve(JSON), MAPPER.writeValueAsString(report) + "\n");
      Files.writeString(dir.resolve(MARKDOWN), markdown(run, results, calibration));
      ZeroShotMetadata.write(dir, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode json(RunInfo run, List<TaskResult> results, Calibration calibration) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("model", "llm-zero-shot");
    root.put("version", run.version());
    root.put("date", run.date());
    root.put("code_commit", run.codeCommit());
    root.put("tier", "llm");
    root.put("backend", "embedded (MiniLM similarity)");
    root.put("dataset_version", run.datasetVersion());
    root.put("catalog_version", run.catalogVersion());
    root.put("encoder", run.encoder());
    root.put("calibration_sha256", calibration.sha256());
    root.put("command", run.command());
    ObjectNode sampling = root.putObject("sampling");
    sampling.put("seed", run.seed());
    sampling.put("max_positives_per_split", run.maxPositives());
    sampling.put("max_negatives_per_split", run.maxNegatives());
    sampling.put("few_shot_k", ZeroShotEvaluation.FEW_SHOT_K);
    sampling.put("few_shot_draws", run.fewShotDraws());
    ObjectNode pools = sampling.putObject("pools");
    run.pools().forEach(pools::put);
    root.put(
        "threshold_rule",
        "calibrated probability maximizing F1 on dev (per task and condition); p >= 0.5 also reported");
    ArrayNode tasks = root.putArray("tasks");
    for (TaskResult result : results) {
      ObjectNode t = tasks.addObject();
      t.put("name", result.task().name());
      t.put("category", result.task().category());
      t.put("input_kind", result.task().kind().id());
      t.put("positives", result.task().positives());
      t.put("negatives", result.task().negatives());
      t.put("calibrates_serving", result.task().calibrates());
      ArrayNode conditions = t.putArray("conditions");
      for (ConditionResult c : result.conditions()) {
        ObjectNode cn = conditions.addObject();
        cn.put("name", c.name());
        cn.put("definition_hash", c.definitionHash());
        cn.put("positive_examples", c.positiveExamples().size());
        cn.put("negative_examples", c.negativeExamples().size());
        if (c.name().startsWith("few-shot")) {
          ArrayNode negs = cn.putArray("few_shot_negative_examples");
          c.negativeExamples().forEach(e -> negs.add(clip(e, 120)));
          ArrayNode shots = cn.putArray("few_shot_positive_examples");
          c.positiveExamples().forEach(e -> shots.add(clip(e, 120)));
        }
        ObjectNode fit = cn.putObject("calibration");
        fit.put("a", r6(c.fit().a()));
        fit.put("b", r6(c.fit().b()));
        fit.put("margin_at_p50", r6(c.fit().margin50()));
        cn.put("threshold", r6(c.threshold()));
        split(cn.putObject("dev"), c.dev());
        split(cn.putObject("test"), c.test());
        ArrayNode hn = cn.putArray("test_highest_scoring_negatives");
        c.hardestNegatives().forEach(hn::add);
        ArrayNode mp = cn.putArray("test_lowest_scoring_positives");
        c.missedPositives().forEach(mp::add);
      }
      if (result.task().fewShot()) {
        ObjectNode summary = t.putObject("few_shot_test_summary");
        for (String variant :
            List.of(ZeroShotEvaluation.FEW_SHOT_POSITIVE, ZeroShotEvaluation.FEW_SHOT_BOTH)) {
          List<ConditionResult> draws = draws(result, variant);
          ObjectNode v = summary.putObject(variant);
          v.put("draws", draws.size());
          v.put(
              "average_precision_mean",
              r6(
                  draws.stream()
                      .mapToDouble(c -> c.test().averagePrecision())
                      .average()
                      .orElse(Double.NaN)));
          v.put(
              "average_precision_min",
              r6(
                  draws.stream()
                      .mapToDouble(c -> c.test().averagePrecision())
                      .min()
                      .orElse(Double.NaN)));
          v.put(
              "average_precision_max",
              r6(
                  draws.stream()
                      .mapToDouble(c -> c.test().averagePrecision())
                      .max()
                      .orElse(Double.NaN)));
          v.put(
              "f1_mean",
              r6(
                  draws.stream()
                      .mapToDouble(c -> c.test().atThreshold().f1())
                      .average()
                      .orElse(Double.NaN)));
        }
      }
    }
    ArrayNode limitations = root.putArray("limitations");
    LIMITATIONS.forEach(limitations::add);
    return root;
  }

  private static List<ConditionResult> draws(TaskResult result, String variant) {
    return result.conditions().stream()
        .filter(c -> c.name().startsWith(variant + " draw"))
        .toList();
  }

  private static void split(ObjectNode node, SplitResult r) {
    node.put("positives", r.positives());
    node.put("negatives", r.negatives());
    node.put("prevalence", r6(r.positives() / (double) Math.max(1, r.positives() + r.negatives())));
    node.put("insufficient_data", r.positives() < MIN_POSITIVES);
    node.put("average_precision", r6(r.averagePrecision()));
    if (r.apInterval() != null) {
      node.putArray("average_precision_95ci").add(r6(r.apInterval()[0])).add(r6(r.apInterval()[1]));
    }
    node.put("roc_auc", r6(r.rocAuc()));
    at(node.putObject("at_calibrated_threshold"), r.atThreshold());
    at(node.putObject("at_p_0_5"), r.atHalf());
    at(node.putObject("at_builtin_default_mapping_p_0_5"), r.builtinDefaultAtHalf());
    if (!r.sliceAveragePrecision().isEmpty()) {
      ObjectNode slices = node.putObject("average_precision_by_positive_source");
      r.sliceAveragePrecision().forEach((k, v) -> slices.put(k, r6(v)));
    }
  }

  private static void at(ObjectNode node, ZeroShotEvaluation.AtThreshold m) {
    node.put("threshold", r6(m.threshold()));
    node.put("precision", r6(m.precision()));
    node.put("recall", r6(m.recall()));
    node.put("f1", r6(m.f1()));
    node.put("tp", m.tp());
    node.put("fp", m.fp());
    node.put("fn", m.fn());
    node.put("tn", m.tn());
  }

  static final List<String> LIMITATIONS =
      List.of(
          "Emerging-category tasks are URL-only: the tier sees a host name rendered as words (e.g. 'character ai'), "
              + "not the page. This is the weakest input the tier accepts; page text scores better.",
          "Supports are small (UT1 tricheur has a few dozen hosts in all; dev/test hold only a handful): read the "
              + "bootstrap intervals, not the point estimates.",
          "Negatives are sampled (caps above), so prevalence in these sets is far higher than in real traffic; "
              + "precision at the calibrated threshold is optimistic for production, and calibrated probabilities are "
              + "relative to the sampled prevalence.",
          "Lists are positive-only: 'negative' hosts from other lists or the background may belong to the category "
              + "(label noise that lowers measured precision).",
          "C-SSRS texts are Reddit posts by users of suicide-related subreddits; negatives (Supportive, Indicator) "
              + "share the vocabulary, which makes this a hard-negative test, and the register differs from web pages.",
          "The self_harm embedding description targets at-risk content; Taxonomy v1 also scores help resources under "
              + "self_harm, which this evaluation does not measure.",
          "Calibration is fitted on dev and reused on test; dev metrics are in-sample for the calibration (not for the "
              + "ranking). The LLM (openai) backend is not evaluated here: no model weights are available offline.");

  /** Where the release-gating card is (the same line in every report). */
  static final String STANDARD_CARD_NOTE =
      "_This is the build's dev-side training report. The model card that "
          + "gates a release is `model-card.md` in this directory, written by `./sieve eval run --tier llm "
          + "--model-dir models/llm-zero-shot/<version>` (evaluation standard)._\n\n";

  static String markdown(RunInfo run, List<TaskResult> results, Calibration calibration) {
    StringBuilder md = new StringBuilder();
    md.append("# Training report: llm-zero-shot ").append(run.version()).append("\n\n");
    md.append("_Generated by `")
        .append(run.command())
        .append(
            "`; every number below is computed by code "
                + "(ZeroShotEvaluation); do not edit by hand._\n\n");
    md.append(STANDARD_CARD_NOTE);
    MarkdownTable.compact("Field", "Value")
        .row("Tier", "`llm` (embedded backend: MiniLM embedding similarity, zero-shot)")
        .row("Encoder", "`" + run.encoder() + "` (frozen)")
        .row("Dataset version", "`" + run.datasetVersion() + "`")
        .row("Category catalog", "`" + run.catalogVersion() + "` (config/categories/*.yaml)")
        .row(
            "Calibration",
            "`calibration.json` sha256 `" + calibration.sha256().substring(0, 12) + "…`")
        .row(
            "Sampling",
            "seed "
                + run.seed()
                + ", ≤ "
                + run.maxPositives()
                + " positives and ≤ "
                + run.maxNegatives()
                + " negatives per task and split")
        .appendTo(md);
    md.append("\n");

    md.append("## What it is\n\n");
    md.append(METHOD)
        .append(
            " No model is trained: categories are defined in `config/categories/*.yaml` and "
                + "emerging ones can be added without retraining. Intended use: "
                + INTENDED_USE
                + "\n\n");

    md.append("## Zero-shot on labels the tier never trained on\n\n");
    md.append(
        "P / R / F1 at the calibrated threshold: the calibrated probability that maximizes F1 on dev "
            + "(calibration and threshold fitted on dev, so dev rows are in-sample; test rows are held out). "
            + "AUPRC = average precision; prevalence = the AUPRC of a random scorer. training-report.json also has P/R/F1 at p ≥ 0.5. "
            + "⚠ = fewer than "
            + MIN_POSITIVES
            + " positives in the split: the evaluation standard's 'not measured' level; "
            + "the numbers are printed because this tier's brief asks for them, and are indicative only (read the intervals).\n\n");
    MarkdownTable conditions =
        MarkdownTable.compact(
            "task",
            "condition",
            "split",
            "pos / neg",
            "prevalence",
            "AUPRC [95% CI]",
            "ROC AUC",
            "threshold",
            "P",
            "R",
            "F1");
    for (TaskResult result : results) {
      if (!result.task().fewShot()) {
        continue;
      }
      for (ConditionResult c : result.conditions()) {
        if (c.name().startsWith("few-shot") && !c.name().endsWith("draw 1")) {
          continue;
        }
        conditions.row(splitRow(result.task().name(), c.name(), "dev", c.dev(), c.threshold()));
        conditions.row(splitRow(result.task().name(), c.name(), "test", c.test(), c.threshold()));
      }
    }
    conditions.appendTo(md);
    md.append(
        "\nFew-shot variance over draws (examples from TRAIN only; test split; the table above shows draw 1):\n\n");
    MarkdownTable variance =
        MarkdownTable.compact(
            "task",
            "variant",
            "draws",
            "test AUPRC mean (min–max)",
            "test F1 mean",
            "description-only test AUPRC",
            "shipped test AUPRC");
    for (TaskResult result : results) {
      if (!result.task().fewShot()) {
        continue;
      }
      for (String variant :
          List.of(ZeroShotEvaluation.FEW_SHOT_POSITIVE, ZeroShotEvaluation.FEW_SHOT_BOTH)) {
        List<ConditionResult> draws = draws(result, variant);
        DoubleSummaryStatistics ap =
            draws.stream().mapToDouble(c -> c.test().averagePrecision()).summaryStatistics();
        double meanF1 =
            draws.stream()
                .mapToDouble(c -> c.test().atThreshold().f1())
                .average()
                .orElse(Double.NaN);
        variance.row(
            result.task().name(),
            variant,
            draws.size(),
            meanOf(ap) + " (" + minOf(ap) + "–" + maxOf(ap) + ")",
            f(meanF1),
            f(result.condition("description-only").test().averagePrecision()),
            f(result.condition("shipped").test().averagePrecision()));
      }
    }
    variance.appendTo(md);
    md.append("\nPositives and negatives per task:\n\n");
    for (TaskResult result : results) {
      md.append("- **")
          .append(result.task().name())
          .append("**: positives = ")
          .append(result.task().positives())
          .append("; negatives = ")
          .append(result.task().negatives())
          .append(".");
      SplitResult test = result.condition("shipped").test();
      if (!test.sliceAveragePrecision().isEmpty()) {
        md.append(" Test AUPRC by positive source (shipped): ");
        test.sliceAveragePrecision()
            .forEach((k, v) -> md.append("`").append(k).append("` ").append(f(v)).append("; "));
      }
      md.append("\n");
    }

    md.append("\n## Core categories (shipped definitions, what the router may ask about)\n\n");
    MarkdownTable core =
        MarkdownTable.compact(
            "task",
            "split",
            "pos / neg",
            "prevalence",
            "AUPRC [95% CI]",
            "ROC AUC",
            "threshold",
            "P",
            "R",
            "F1",
            "F1 at p ≥ 0.5, built-in default mapping");
    for (TaskResult result : results) {
      if (result.task().fewShot()) {
        continue;
      }
      ConditionResult c = result.condition("shipped");
      for (String split : List.of("dev", "test")) {
        SplitResult r = split.equals("dev") ? c.dev() : c.test();
        List<String> cells =
            new ArrayList<>(splitRow(result.task().name(), null, split, r, c.threshold()));
        cells.add(f(r.builtinDefaultAtHalf().f1()));
        core.row(cells);
      }
    }
    core.appendTo(md);

    md.append("\n## Calibration served (calibration.json)\n\n");
    md.append(
            "p = sigmoid(a · margin + b), fitted on dev per (category, input kind); a fit applies only to the "
                + "scoring hash it was fitted on (the category's description and examples plus the background). Without a fit: the pooled fit of that input kind, else the built-in "
                + "default (a = ")
        .append(f(Calibration.BUILTIN_DEFAULT.a()))
        .append(", b = ")
        .append(f(Calibration.BUILTIN_DEFAULT.b()))
        .append(").\n\n");
    MarkdownTable fits =
        MarkdownTable.compact(
            "category",
            "kind",
            "a",
            "b",
            "margin at p = 0.5",
            "suggested threshold (max F1 on dev)",
            "dev pos / neg");
    calibration
        .file()
        .categories()
        .forEach(
            (category, byKind) ->
                byKind.forEach(
                    (kind, e) ->
                        fits.row(
                            category,
                            kind,
                            f(e.a()),
                            f(e.b()),
                            f(e.logistic().margin50()),
                            f(e.threshold()),
                            e.nPositive() + " / " + e.nNegative())));
    calibration
        .file()
        .defaults()
        .forEach(
            (kind, l) ->
                fits.row(
                    "(pooled default)",
                    kind,
                    f(l.a()),
                    f(l.b()),
                    f(l.margin50()),
                    "n/a",
                    "all calibrating tasks"));
    fits.appendTo(md);

    md.append("\n## Error analysis (test, shipped definition)\n\n");
    for (TaskResult result : results) {
      ConditionResult c = result.condition("shipped");
      md.append("- **")
          .append(result.task().name())
          .append("** highest-scoring negatives: ")
          .append(String.join("; ", c.hardestNegatives()))
          .append(". Lowest-scoring positives: ")
          .append(String.join("; ", c.missedPositives()))
          .append(".\n");
    }
    md.append("\n## Sampling pools\n\n");
    run.pools().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
    md.append("\n## Limitations\n\n");
    LIMITATIONS.forEach(l -> md.append("- ").append(l).append("\n"));
    md.append("\n## Reproduce\n\n```\n").append(run.command()).append("\n```\n");
    return md.toString();
  }

  /**
   * The cells every per-split table shares: task, condition (left out when null), split, pos / neg
   * (⚠ under the positives minimum), prevalence, AUPRC with its interval, ROC AUC, threshold, P, R,
   * F1.
   */
  private static List<String> splitRow(
      String task, String condition, String split, SplitResult r, double threshold) {
    List<String> cells = new ArrayList<>();
    cells.add(task);
    if (condition != null) {
      cells.add(condition);
    }
    cells.add(split);
    cells.add(r.positives() + (r.positives() < MIN_POSITIVES ? "⚠" : "") + " / " + r.negatives());
    cells.add(f(r.positives() / (double) Math.max(1, r.positives() + r.negatives())));
    cells.add(f(r.averagePrecision()) + ci(r));
    cells.add(f(r.rocAuc()));
    cells.add(f(threshold));
    cells.add(f(r.atThreshold().precision()));
    cells.add(f(r.atThreshold().recall()));
    cells.add(f(r.atThreshold().f1()));
    return cells;
  }

  /** An empty summary (no draws) prints n/a, as an empty stream's NaN did. */
  private static String meanOf(DoubleSummaryStatistics s) {
    return f(s.getCount() == 0 ? Double.NaN : s.getAverage());
  }

  private static String minOf(DoubleSummaryStatistics s) {
    return f(s.getCount() == 0 ? Double.NaN : s.getMin());
  }

  private static String maxOf(DoubleSummaryStatistics s) {
    return f(s.getCount() == 0 ? Double.NaN : s.getMax());
  }

  private static String ci(SplitResult r) {
    return r.apInterval() == null
        ? ""
        : " [" + f(r.apInterval()[0]) + ", " + f(r.apInterval()[1]) + "]";
  }

  /** Six decimals in JSON (the evaluation standard's fixed formatting); NaN stays NaN. */
  private static double r6(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }

  private static String f(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
