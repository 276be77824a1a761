package dev.sieve.eval.card;

import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.ErrorExample;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.ExternalValidity;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.report.SliceRow;
import dev.sieve.eval.report.SliceTable;
import dev.sieve.eval.threshold.ThresholdChoice;
import dev.sieve.eval.threshold.ThresholdSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lays a {@link ModelCard} out as a {@link Doc}: the one place that decides what a card shows. */
final class CardDocument {

  private CardDocument() {}

  static Doc build(ModelCard card, boolean figures) {
    Doc d = new Doc();
    ModelCard.ModelDetails md = card.modelDetails();
    EvaluationResult ev = card.quantitativeAnalyses();
    d.h(1, "Model card: " + md.name() + " " + md.version());
    d.p(
        "Generated from model-card.json by ./sieve eval run; numbers are never edited by hand."
            + " Re-render the pages with: ./sieve eval card MODEL_DIR.");

    d.h(2, "Executive summary");
    d.p(card.executiveSummary().paragraph());
    List<ModelCard.SummaryRow> summary = card.executiveSummary().rows();
    boolean sites = summary.stream().anyMatch(r -> r.wronglyFlagsPer1000() != null);
    boolean texts = summary.stream().anyMatch(r -> r.wronglyFlagsTextsPer1000() != null);
    boolean pages = summary.stream().anyMatch(r -> r.wronglyFlagsPagesPer1000() != null);
    List<List<String>> rows = new ArrayList<>();
    for (ModelCard.SummaryRow r : summary) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  r.displayName() + " (" + r.category() + ")",
                  r.action(),
                  r.catchesPer100() == null ? "not measured" : r.catchesPer100() + " of 100"));
      if (sites || (!texts && !pages)) {
        row.add(per1000(r.wronglyFlagsPer1000()));
      }
      if (texts) {
        row.add(per1000(r.wronglyFlagsTextsPer1000()));
      }
      if (pages) {
        row.add(per1000(r.wronglyFlagsPagesPer1000()));
      }
      row.add(r.note());
      rows.add(row);
    }
    List<String> header =
        new ArrayList<>(List.of("Category", "Default action", "Harmful items caught"));
    if (sites || (!texts && !pages)) {
      header.add("Ordinary sites wrongly flagged");
    }
    if (texts) {
      header.add("Ordinary texts wrongly flagged");
    }
    if (pages) {
      header.add("Ordinary pages wrongly flagged");
    }
    header.add("Note");
    d.table(header, rows);

    d.h(2, "1. Model details");
    List<List<String>> det = new ArrayList<>();
    det.add(List.of("Name", md.name()));
    det.add(List.of("Version", md.version()));
    det.add(List.of("Date", md.date()));
    det.add(List.of("Tier", md.tier()));
    det.add(List.of("Type", md.type()));
    det.add(List.of("Training algorithm", md.trainingAlgorithm()));
    det.add(List.of("Hyper-parameters", hyper(md.hyperparameters())));
    det.add(List.of("Code commit", md.codeCommit()));
    det.add(List.of("Dataset version (evaluation)", card.evaluationData().datasetVersion()));
    det.add(List.of("License", md.license()));
    det.add(List.of("Owner", md.owner()));
    det.add(List.of("Contact", md.contact()));
    det.add(List.of("Predictions obtained from", md.predictionSource()));
    det.add(List.of("Score space of thresholds", md.scoreSpace()));
    d.table(List.of("Field", "Value"), det);
    List<List<String>> arts = new ArrayList<>();
    for (ModelCard.Artifact a : md.artifacts()) {
      arts.add(List.of(a.path(), a.sha256(), Fmt.count(a.bytes())));
    }
    d.table(List.of("Artifact", "SHA-256", "Bytes"), arts);

    d.h(2, "2. Intended use");
    d.p(card.intendedUse().intendedUse());
    d.p("Primary users:");
    d.bullets(card.intendedUse().primaryUsers());
    d.p("Out of scope:");
    d.bullets(card.intendedUse().outOfScope());

    d.h(2, "3. Factors");
    d.p("Results are sliced by: " + String.join(", ", card.factors().sliceDimensions()) + ".");
    List<String> prot = new ArrayList<>();
    card.factors().protectedSlices().forEach((k, v) -> prot.add(k + ": " + v));
    if (!prot.isEmpty()) {
      d.p("Protected slices (over-blocking here keeps students from help they need):");
      d.bullets(prot);
    }

    d.h(2, "4. Metrics");
    ModelCard.MetricsSection ms = card.metrics();
    d.p(
        "Decision thresholds are chosen per category on the dev split (never on test), then every"
            + " number below is measured on the "
            + ev.split()
            + " split at those thresholds. Intervals: "
            + Math.round(ms.confidence() * 100)
            + "% percentile bootstrap, "
            + ms.bootstrapResamples()
            + " resamples, seed "
            + ms.seed()
            + ". Categories with fewer than "
            + ms.minPositives()
            + " positives show no rates.");
    d.h(3, "Decision thresholds (chosen on dev)");
    List<List<String>> th = new ArrayList<>();
    for (ThresholdChoice t : ms.thresholds()) {
      th.add(
          List.of(
              t.category(),
              Fmt.num(t.threshold(), 4),
              t.thresholdCiLower() == null
                  ? Fmt.NA
                  : "["
                      + Fmt.num(t.thresholdCiLower(), 4)
                      + ", "
                      + Fmt.num(t.thresholdCiUpper(), 4)
                      + "]",
              t.rule(),
              t.status(),
              Fmt.num(t.devRecall()),
              Fmt.num(t.devPrecision()),
              Fmt.pct(t.devBackgroundFlagRate()),
              String.join("; ", t.unmet())));
    }
    d.table(
        List.of(
            "Category",
            "Threshold",
            "95% CI",
            "Rule",
            "Status",
            "Dev recall",
            "Dev precision",
            "Dev background flagged",
            "Unmet"),
        th);
    d.h(3, "Per-category results (" + ev.split() + " split)");
    List<List<String>> pc = new ArrayList<>();
    for (CategoryResult c : ev.categories()) {
      pc.add(
          List.of(
              c.category(),
              statusText(c),
              Fmt.count(c.support()),
              Fmt.count(c.negatives()),
              Fmt.est(c.precision()),
              Fmt.est(c.recall()),
              Fmt.est(c.f1()),
              Fmt.est(c.auprc()),
              Fmt.est(c.auroc()),
              Fmt.pct(c.backgroundFlagRate())));
    }
    d.table(
        List.of(
            "Category",
            "Status",
            "Support",
            "Negatives",
            "Precision",
            "Recall",
            "F1",
            "AUPRC",
            "AUROC",
            "Background flagged"),
        pc);
    d.h(3, "Averages over measured categories");
    d.table(
        List.of("Average", "Categories", "Precision", "Recall", "F1", "AUPRC", "AUROC"),
        List.of(
            List.of(
                "micro",
                String.valueOf(ev.micro().categories()),
                Fmt.est(ev.micro().precision()),
                Fmt.est(ev.micro().recall()),
                Fmt.est(ev.micro().f1()),
                Fmt.NA,
                Fmt.NA),
            List.of(
                "macro",
                String.valueOf(ev.macro().categories()),
                Fmt.est(ev.macro().precision()),
                Fmt.est(ev.macro().recall()),
                Fmt.est(ev.macro().f1()),
                Fmt.est(ev.macro().auprc()),
                Fmt.est(ev.macro().auroc()))));
    if (figures) {
      d.figure(
          Svg.precisionRecall(ev.categories()),
          "Precision-recall curves ("
              + ev.split()
              + " split); the dot is the operating point at the chosen threshold.");
    }
    d.h(3, "Calibration");
    d.p(
        "Calibrators are fitted per category on dev (identity, Platt or isotonic/PAV, chosen by 5-fold"
            + " dev log-loss) and ECE is measured on "
            + ev.split()
            + " (10 equal-width bins). A model whose"
            + " trainer already calibrates its scores (method '"
            + ModelCardGenerator.SELF_CALIBRATED
            + "')"
            + " gets no further calibrator: its row shows the ECE of the scores it serves.");
    List<List<String>> cal = new ArrayList<>();
    for (ModelCard.CalibrationRow r : card.calibration().categories()) {
      cal.add(
          List.of(
              r.category(), r.method(), Fmt.num(r.eceBefore()), Fmt.num(r.eceAfter()), r.reason()));
    }
    d.table(List.of("Category", "Method", "ECE before", "ECE after", "Why"), cal);
    if (figures) {
      d.figure(
          Svg.reliability(ev.categories()),
          "Reliability diagrams: grey = before calibration, blue = served scores; dashed = perfect calibration.");
    }
    d.h(3, "Metric definitions");
    List<String> defs = new ArrayList<>();
    ms.definitions().forEach((k, v) -> defs.add(k + ": " + v));
    d.bullets(defs);

    d.h(2, "5. Evaluation data");
    ModelCard.EvaluationData ed = card.evaluationData();
    d.table(
        List.of("Field", "Value"),
        List.of(
            List.of("Dataset version", ed.datasetVersion()),
            List.of("Manifest SHA-256", ed.manifestSha256()),
            List.of("Split", ed.split()),
            List.of("Inputs", String.join(", ", ed.inputs())),
            List.of("Examples", Fmt.count(ed.examples())),
            List.of("Background (ordinary) sites", Fmt.count(ed.backgroundExamples())),
            List.of("Refused by the model (excluded)", Fmt.count(ed.rejectedInputs())),
            List.of("Data card", ed.dataCard())));
    d.bullets(ed.rejectedSamples());

    d.h(2, "6. Training data");
    ModelCard.TrainingData td = card.trainingData();
    d.p(
        "Dataset version "
            + td.datasetVersion()
            + ". Class weighting: "
            + orNone(td.classWeighting())
            + ". Resampling: "
            + orNone(td.resampling())
            + ".");
    List<List<String>> cb = new ArrayList<>();
    for (ModelCard.ClassBalance b : td.classBalance()) {
      cb.add(
          List.of(
              b.category(), Fmt.count(b.positives()), Fmt.count(b.inScope()), Fmt.pct(b.share())));
    }
    if (!cb.isEmpty()) {
      d.table(List.of("Category", "Positives (train)", "In label scope (train)", "Share"), cb);
    }

    d.h(2, "7. Quantitative analyses");
    externalValidity(d, card);
    d.h(3, "Over-blocking on ordinary inputs");
    var ob = ev.overBlocking();
    d.p(
        Fmt.count(ob.backgroundExamples())
            + " ordinary inputs in the "
            + ev.split()
            + " split; flagged in a blocking category: "
            + Fmt.pct(ob.blockRate())
            + ".");
    d.table(
        List.of("Input", "Flagged as", "Score", "Label sources", "Flags"),
        errorRows(ob.topBlocked()));
    for (SliceTable t : ev.slices()) {
      d.h(3, "Slices: " + t.dimension());
      List<List<String>> sr = new ArrayList<>();
      for (SliceRow r : t.rows()) {
        sr.add(
            List.of(
                r.value(),
                Fmt.count(r.examples()),
                Fmt.count(r.positives()),
                Fmt.num(r.recall()),
                Fmt.pct(r.blockRate()),
                Fmt.count(r.shouldAllow()),
                Fmt.pct(r.overBlockRate()),
                r.topFlagged()));
      }
      d.table(
          List.of(
              "Value",
              "Items",
              "With positives",
              "Recall",
              "Block rate [95% CI]",
              "No blocking label",
              "Of those blocked [95% CI]",
              "Most flagged"),
          sr);
    }
    d.h(3, "Multi-label confusion (per category, at the threshold)");
    List<List<String>> mc = new ArrayList<>();
    for (CategoryResult c : ev.categories()) {
      mc.add(
          List.of(
              c.category(),
              Fmt.count(c.tp()),
              Fmt.count(c.fp()),
              Fmt.count(c.fn()),
              Fmt.count(c.tn())));
    }
    d.table(List.of("Category", "TP", "FP", "FN", "TN"), mc);
    d.h(
        3,
        "Category confusion (row: true category; cell: share of its items flagged in the column)");
    var cm = ev.confusion();
    List<List<String>> cmr = new ArrayList<>();
    for (int r = 0; r < cm.rows().size(); r++) {
      List<String> row = new ArrayList<>();
      row.add(cm.rows().get(r) + " (" + cm.rowTotals()[r] + ")");
      for (int j = 0; j < cm.columns().size(); j++) {
        long n = cm.counts()[r][j];
        row.add(n == 0 ? "" : Math.round(100.0 * n / cm.rowTotals()[r]) + "%");
      }
      cmr.add(row);
    }
    List<String> cmh = new ArrayList<>();
    cmh.add("True \\ flagged");
    cmh.addAll(cm.columns());
    d.table(cmh, cmr);
    if (figures && !cm.rows().isEmpty()) {
      d.figure(Svg.confusion(cm), "Category confusion heat map (row-normalized, percent).");
    }
    d.h(3, "Top false positives (over-blocking)");
    List<ErrorExample> fps = new ArrayList<>();
    ev.categories().forEach(c -> fps.addAll(c.topFalsePositives()));
    d.table(List.of("Input", "Flagged as", "Score", "Label sources", "Flags"), errorRows(fps));
    d.h(3, "Top false negatives (under-blocking)");
    List<ErrorExample> fns = new ArrayList<>();
    ev.categories().forEach(c -> fns.addAll(c.topFalseNegatives()));
    d.table(List.of("Input", "Missed category", "Score", "Label sources", "Flags"), errorRows(fns));

    d.h(2, "8. Baselines (same split)");
    if (card.baselines().isEmpty()) {
      d.p("No baseline could be run; see caveats.");
    } else {
      List<String> bh = new ArrayList<>(List.of("Category", "Metric", "This model"));
      for (ModelCard.BaselineSummary b : card.baselines()) {
        bh.add(b.name() + (b.sameSplit() ? "" : " (own card, " + b.datasetVersion() + ")"));
      }
      List<List<String>> br = new ArrayList<>();
      for (CategoryResult c : ev.categories()) {
        for (String metric : List.of("recall", "f1", "auprc", "background flagged")) {
          List<String> row = new ArrayList<>();
          row.add(metric.equals("recall") ? c.category() : "");
          row.add(metric);
          row.add(
              switch (metric) {
                case "recall" -> Fmt.num(c.recall() == null ? null : c.recall().value());
                case "f1" -> Fmt.num(c.f1() == null ? null : c.f1().value());
                case "auprc" -> Fmt.num(c.auprc() == null ? null : c.auprc().value());
                default ->
                    Fmt.pct(c.backgroundFlagRate() == null ? null : c.backgroundFlagRate().value());
              });
          for (ModelCard.BaselineSummary b : card.baselines()) {
            ModelCard.BaselineRow x =
                b.categories().stream()
                    .filter(r -> r.category().equals(c.category()))
                    .findFirst()
                    .orElse(null);
            row.add(
                x == null
                    ? Fmt.NA
                    : switch (metric) {
                      case "recall" -> Fmt.num(x.recall());
                      case "f1" -> Fmt.num(x.f1());
                      case "auprc" -> Fmt.num(x.auprc());
                      default -> Fmt.pct(x.backgroundFlagRate());
                    });
          }
          br.add(row);
        }
      }
      d.table(bh, br);
      List<String> descs = new ArrayList<>();
      for (ModelCard.BaselineSummary b : card.baselines()) {
        descs.add(
            b.name()
                + ": "
                + b.description()
                + " Micro F1 "
                + Fmt.num(b.microF1())
                + ", ordinary sites blocked "
                + Fmt.pct(b.backgroundBlockRate())
                + ".");
      }
      d.bullets(descs);
    }

    d.h(2, "9. Ethical considerations, caveats and known gaps");
    d.bullets(card.ethicalConsiderations());
    d.bullets(card.caveats());
    return d;
  }

  private static String per1000(Long v) {
    return v == null ? Fmt.NA : v + " of 1,000";
  }

  /**
   * External validity: flag rates on every group of ordinary inputs (source, input kind), the false
   * alert rate, and leave-one-source-out. What a test split of the training sources cannot show.
   */
  private static void externalValidity(Doc d, ModelCard card) {
    ExternalValidity xv = card.quantitativeAnalyses().externalValidity();
    d.h(3, "External validity: ordinary inputs by source and kind");
    if (xv == null || xv.groups().isEmpty()) {
      d.p(
          "No ordinary (background) inputs in the evaluated split: the false-flag rate is not measurable.");
    } else {
      d.p(
          "Share of ordinary inputs (label scope '*') not labelled with the category that the model"
              + " flags, per group, with Wilson 95% intervals. Threshold selection keeps each category's"
              + " ceiling on every ordinary source with at least "
              + ThresholdSelector.MIN_SOURCE_ITEMS
              + " dev items; the release gate holds it on the pooled rate and on every group with at least"
              + " gate.background_ceilings.min_group_items items (release-gate.yaml)."
              + (xv.falseAlertRate() == null
                  ? ""
                  : " False alerts (an alerting category decided on ordinary input no alerting category"
                      + " labels): "
                      + Fmt.pct(xv.falseAlertRate())
                      + "."));
      List<String> cats = new ArrayList<>();
      xv.rates()
          .forEach(
              r -> {
                if (!cats.contains(r.category())) {
                  cats.add(r.category());
                }
              });
      List<String> header = new ArrayList<>(List.of("Group", "Items"));
      header.addAll(cats);
      List<List<String>> rows = new ArrayList<>();
      for (String g : xv.groups()) {
        List<String> row = new ArrayList<>(List.of(g));
        long items = 0;
        List<String> cells = new ArrayList<>();
        for (String c : cats) {
          ExternalValidity.GroupRate r =
              xv.of(c).stream().filter(x -> x.group().equals(g)).findFirst().orElse(null);
          items = Math.max(items, r == null ? 0 : r.items());
          cells.add(
              r == null || r.rate() == null
                  ? Fmt.NA
                  : r.flagged() + " (" + Fmt.pct(r.rate()) + ")");
        }
        row.add(Fmt.count(items));
        row.addAll(cells);
        rows.add(row);
      }
      d.table(header, rows);
    }
    LeaveOneSourceOut loso = card.leaveOneSourceOut();
    d.h(3, "External validity: leave one source out");
    if (loso == null || loso.folds().isEmpty()) {
      d.p(
          "No leave-one-source-out results were computed for this model (no "
              + LeaveOneSourceOut.FILE
              + " next to it).");
      return;
    }
    d.p(
        loso.method()
            + " Dataset "
            + loso.datasetVersion()
            + ". 'In-distribution' is the released model"
            + " on the same source's test split; the drop is what never having seen the source costs.");
    List<List<String>> rows = new ArrayList<>();
    for (LeaveOneSourceOut.Fold f : loso.folds()) {
      for (LeaveOneSourceOut.FoldCategory c : f.categories()) {
        rows.add(
            List.of(
                f.source(),
                c.category(),
                Fmt.count(c.positives()),
                Fmt.est(c.recallHeldOut()),
                Fmt.num(c.recallInDistribution()),
                Fmt.num(c.recallDrop()),
                Fmt.count(c.ordinary()),
                Fmt.pct(c.flagRateHeldOut()),
                Fmt.pct(c.flagRateInDistribution()),
                Fmt.num(c.threshold(), 4)));
      }
    }
    d.table(
        List.of(
            "Held-out source",
            "Category",
            "Positives",
            "Recall held out [95% CI]",
            "Recall in-distribution",
            "Drop",
            "Ordinary items",
            "Flagged held out [95% CI]",
            "Flagged in-distribution",
            "Fold threshold"),
        rows);
  }

  private static List<List<String>> errorRows(List<ErrorExample> errors) {
    List<List<String>> out = new ArrayList<>();
    for (ErrorExample e : errors) {
      out.add(
          List.of(
              e.input(),
              e.category(),
              Fmt.num(e.score(), 4),
              String.join(", ", e.sources()),
              String.join(", ", e.flags())));
    }
    return out;
  }

  private static String statusText(CategoryResult c) {
    return switch (c.status()) {
      case CategoryResult.INSUFFICIENT -> "insufficient data";
      case CategoryResult.NOT_SCORED -> "not scored";
      default -> "measured";
    };
  }

  private static String hyper(Map<String, Object> h) {
    List<String> parts = new ArrayList<>();
    h.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  private static String orNone(String s) {
    return s == null || s.isBlank() ? "not stated" : s;
  }
}
