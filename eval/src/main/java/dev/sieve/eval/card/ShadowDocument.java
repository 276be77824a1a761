package dev.sieve.eval.card;

import dev.sieve.eval.shadow.ShadowAnalysis;
import dev.sieve.eval.shadow.ShadowAnalysis.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shadow disagreement report ({@code ./sieve eval shadow FILE --out DIR}) as Markdown and HTML,
 * through the cards' document model, so that it can be attached to a promotion ({@code ./sieve
 * release promote}) and read like a card: versions compared, flip rate per category with its
 * interval, direction of the flips, mean score delta, and the hosts behind the flips.
 */
public final class ShadowDocument {

  public static final String MARKDOWN = "shadow-report.md";
  public static final String HTML = "shadow-report.html";
  public static final String JSON = "shadow-report.json";

  private ShadowDocument() {}

  public static String markdown(ShadowAnalysis analysis) {
    return MarkdownRenderer.render(build(analysis, false))
        .replace("(in model-card.html)", "(in " + HTML + ")");
  }

  public static String html(ShadowAnalysis analysis) {
    return HtmlRenderer.render(build(analysis, true), "Shadow disagreement report");
  }

  static Doc build(ShadowAnalysis a, boolean figures) {
    Doc doc = new Doc();
    doc.h(1, "Shadow disagreement report");
    doc.p(
        "Comparisons of the serving and the candidate version of a tier on live traffic, from "
            + a.source()
            + ": "
            + a.lines()
            + " logged comparisons standing for about "
            + Math.round(a.estimatedComparisons())
            + " (each line weighted by 1 / log_p: every flip and large score delta is logged, agreements are sampled)"
            + (a.malformed() > 0 ? "; " + a.malformed() + " malformed lines skipped" : "")
            + ".");
    doc.bullets(
        List.of(
            "serving: " + a.servingModels(),
            "candidate: " + a.candidateModels(),
            "mode/served by: " + a.modes()));
    doc.p(
        String.format(
            Locale.ROOT,
            "Share of comparisons with at least one decision flip: %.4f. A flip is a category"
                + " decided by one version and not the other at the tenant's threshold; candidate_only = the candidate decides"
                + " it (more blocking), serving_only = the serving version does (less blocking). A category whose flip rate's"
                + " lower 95%% bound is above %.2f needs an explanation before promotion (docs/operations.md, \"Shadow and"
                + " canary\").",
            a.anyFlipRate(),
            ShadowAnalysis.FLIP_RATE_EXPLAIN));
    List<String> explain = a.needingExplanation();
    doc.p(
        explain.isEmpty()
            ? "No category's disagreement is significantly above the threshold."
            : "Needs an explanation: " + String.join(", ", explain) + ".");
    List<List<String>> table = new ArrayList<>();
    for (Row r : a.rows()) {
      table.add(
          List.of(
              r.category(),
              Long.toString(Math.round(r.compared())),
              Long.toString(r.flips()),
              Long.toString(r.candidateOnly()),
              Long.toString(r.servingOnly()),
              String.format(
                  Locale.ROOT,
                  "%.4f [%.4f, %.4f]",
                  r.flipRate(),
                  r.interval().lower(),
                  r.interval().upper()),
              String.format(Locale.ROOT, "%.4f", r.meanAbsDelta()),
              String.join(", ", r.hosts())));
    }
    doc.h(2, "Per category");
    doc.table(
        List.of(
            "category",
            "compared (est.)",
            "flips",
            "candidate_only",
            "serving_only",
            "flip rate [95% CI]",
            "mean |delta|",
            "top hosts with flips"),
        table);
    if (figures && !a.rows().isEmpty()) {
      doc.figure(bars(a.rows()), "Flip rate per category with its 95% interval.");
    }
    return doc;
  }

  private static String bars(List<Row> rows) {
    int rowH = 18;
    int labelW = 150;
    int plotW = 400;
    int height = rows.size() * rowH + 30;
    double max = 1e-6;
    for (Row r : rows) {
      max = Math.max(max, Double.isNaN(r.interval().upper()) ? r.flipRate() : r.interval().upper());
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(labelW + plotW + 60)
        .append("\" height=\"")
        .append(height)
        .append(
            "\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n<title>Flip rates</title>\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double y = 10 + i * rowH;
      double w = plotW * r.flipRate() / max;
      sb.append("<text x=\"")
          .append(labelW - 5)
          .append("\" y=\"")
          .append(Fmt.xy(y + 12))
          .append("\" text-anchor=\"end\">")
          .append(Fmt.html(r.category()))
          .append("</text>\n");
      sb.append("<rect x=\"")
          .append(labelW)
          .append("\" y=\"")
          .append(Fmt.xy(y + 3))
          .append("\" width=\"")
          .append(Fmt.xy(w))
          .append("\" height=\"12\" fill=\"#1f4e9c\"><title>")
          .append(String.format(Locale.ROOT, "%.4f", r.flipRate()))
          .append("</title></rect>\n");
      if (!Double.isNaN(r.interval().lower())) {
        double x1 = labelW + plotW * r.interval().lower() / max;
        double x2 = labelW + plotW * r.interval().upper() / max;
        sb.append("<line x1=\"")
            .append(Fmt.xy(x1))
            .append("\" x2=\"")
            .append(Fmt.xy(x2))
            .append("\" y1=\"")
            .append(Fmt.xy(y + 9))
            .append("\" y2=\"")
            .append(Fmt.xy(y + 9))
            .append("\" stroke=\"#000\"/>\n");
      }
    }
    sb.append("<text x=\"")
        .append(labelW)
        .append("\" y=\"")
        .append(height - 4)
        .append("\">0</text>\n");
    sb.append("<text x=\"")
        .append(labelW + plotW)
        .append("\" y=\"")
        .append(height - 4)
        .append("\" text-anchor=\"end\">")
        .append(String.format(Locale.ROOT, "%.3f", max))
        .append("</text>\n");
    return sb.append("</svg>").toString();
  }
}
