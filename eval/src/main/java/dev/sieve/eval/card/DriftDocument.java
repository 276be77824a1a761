package dev.sieve.eval.card;

import dev.sieve.core.metrics.ScoreBins;
import dev.sieve.eval.drift.DriftAnalysis;
import dev.sieve.eval.drift.DriftAnalysis.Row;
import dev.sieve.eval.drift.LiveScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift report ({@code ./sieve eval drift --out DIR}) as Markdown and HTML, through the same
 * document model and renderers as the model cards, so a reviewer reads it in the form they know: a
 * summary table per tier, the decision rates against the card's, the input profile, and (HTML) the
 * card's and the live score distributions side by side per category.
 */
public final class DriftDocument {

  /** File names written next to each other. */
  public static final String MARKDOWN = "drift-report.md";

  public static final String HTML = "drift-report.html";

  private static final int PANEL_W = 240;
  private static final int PANEL_H = 150;
  private static final int COLUMNS = 4;

  private DriftDocument() {}

  public static String markdown(DriftAnalysis analysis) {
    return MarkdownRenderer.render(build(analysis, false))
        .replace("(in model-card.html)", "(in " + HTML + ")");
  }

  public static String html(DriftAnalysis analysis) {
    return HtmlRenderer.render(build(analysis, true), "Drift report");
  }

  static Doc build(DriftAnalysis a, boolean figures) {
    Doc doc = new Doc();
    doc.h(1, "Drift report");
    List<String> cards =
        a.cards().stream().map(c -> c.label() + " (tier " + c.tier() + ")").toList();
    doc.p(
        "Live scores from "
            + a.live().source()
            + " ("
            + a.live().verdicts()
            + " verdicts) against the test-split"
            + " score distribution of "
            + String.join(", ", cards)
            + ".");
    doc.p(
        String.format(
            Locale.ROOT,
            "Thresholds (docs/operations.md, \"Drift\"): PSI < %.2f stable, %.2f-%.2f watch,"
                + " > %.2f act; a category with fewer than %d live scores is marked too few (expected PSI without drift is about"
                + " 19/n over 20 bins). Jensen-Shannon distance in bits (0 identical, 1 disjoint). Decision rates carry 95%%"
                + " Wilson intervals; the card's rate is on its test split, whose mix of sources is not production's, so a"
                + " shifted rate is a question to ask, not a defect by itself.",
            DriftAnalysis.PSI_WATCH,
            DriftAnalysis.PSI_WATCH,
            DriftAnalysis.PSI_ACT,
            DriftAnalysis.PSI_ACT,
            DriftAnalysis.MIN_LIVE));
    double worst = a.worstPsi();
    doc.p(
        Double.isNaN(worst)
            ? "No category has enough live scores to judge."
            : String.format(
                Locale.ROOT,
                "Largest PSI among judged categories: %.3f (%s).",
                worst,
                worst > DriftAnalysis.PSI_ACT
                    ? "act"
                    : worst > DriftAnalysis.PSI_WATCH ? "watch" : "stable"));

    for (DriftAnalysis.CardRef card : a.cards()) {
      List<Row> rows = a.rows().stream().filter(r -> r.tier().equals(card.tier())).toList();
      doc.h(2, "Score drift: " + card.label() + " (tier " + card.tier() + ")");
      List<List<String>> table = new ArrayList<>();
      for (Row r : rows) {
        table.add(
            List.of(
                r.category(),
                Long.toString(Arrays.stream(r.reference()).sum()),
                Long.toString(r.liveN()),
                num(r.psi()),
                num(r.jsDistance()),
                r.verdict()));
      }
      doc.table(List.of("category", "card n", "live n", "PSI", "JS distance", "verdict"), table);
      if (figures && !rows.isEmpty()) {
        doc.figure(
            histograms(rows),
            "Score distribution per category, share of scores per bin: card (grey) and live"
                + " (blue), bins of width 0.05 from 0 to 1.");
      }
      if (card.tier().equals(LiveScores.MERGED)) {
        doc.h(3, "Decision rate: " + card.label());
        List<List<String>> rates = new ArrayList<>();
        for (Row r : rows) {
          if (r.cardRate() == null) {
            continue;
          }
          rates.add(
              List.of(
                  r.category(),
                  rate(r.cardRate()),
                  r.liveRate() == null ? Fmt.NA : rate(r.liveRate()),
                  r.rateShifted() ? "yes" : "no"));
        }
        doc.table(
            List.of("category", "card rate [95% CI]", "live rate [95% CI]", "intervals disjoint"),
            rates);
      }
    }

    doc.h(2, "Input profile");
    long items =
        a.live().verdicts() + a.live().errors().values().stream().mapToLong(Long::longValue).sum();
    List<List<String>> profile = new ArrayList<>();
    for (Map.Entry<String, Long> e : a.live().inputs().entrySet()) {
      profile.add(
          List.of(
              "input",
              e.getKey(),
              Long.toString(e.getValue()),
              share(e.getValue(), a.live().verdicts())));
    }
    a.live()
        .tierStates()
        .forEach(
            (tier, states) -> {
              long total = states.values().stream().mapToLong(Long::longValue).sum();
              states.forEach(
                  (state, n) ->
                      profile.add(
                          List.of("tier " + tier, state, Long.toString(n), share(n, total))));
            });
    for (Map.Entry<String, Long> e : a.live().errors().entrySet()) {
      profile.add(
          List.of(
              "no verdict", e.getKey(), Long.toString(e.getValue()), share(e.getValue(), items)));
    }
    doc.p(
        "What the live requests carried (url_only: no page; html / text / page: a page), how each tier answered"
            + " (ERROR and TIMEOUT on the content tier include pages it could not extract in time; SKIPPED: not asked,"
            + " e.g. no page), and items that got no verdict. Shares are of the verdicts (tier rows: of that tier's"
            + " outcomes).");
    doc.table(List.of("what", "value", "count", "share"), profile);
    return doc;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? Fmt.NA : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String share(long k, long n) {
    return n == 0 ? Fmt.NA : String.format(Locale.ROOT, "%.1f%%", 100.0 * k / n);
  }

  private static String rate(DriftAnalysis.Rate r) {
    return String.format(
        Locale.ROOT,
        "%.4f [%.4f, %.4f] (%d/%d)",
        r.value(),
        r.interval().lower(),
        r.interval().upper(),
        r.k(),
        r.n());
  }

  /** Per category, card and live shares per bin as paired bars. */
  private static String histograms(List<Row> rows) {
    int panels = rows.size();
    int height = PANEL_H * ((panels + COLUMNS - 1) / COLUMNS);
    int width = PANEL_W * Math.min(panels, COLUMNS);
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append(
            "\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\">\n<title>Score distributions</title>\n");
    double plotW = PANEL_W - 30;
    double plotH = PANEL_H - 40;
    for (int p = 0; p < panels; p++) {
      Row r = rows.get(p);
      int ox = (p % COLUMNS) * PANEL_W + 15;
      int oy = (p / COLUMNS) * PANEL_H + 18;
      double[] card = shares(r.reference());
      double[] live = r.liveN() == 0 ? new double[ScoreBins.BINS] : shares(r.observed());
      double max = 1e-9;
      for (int i = 0; i < ScoreBins.BINS; i++) {
        max = Math.max(max, Math.max(card[i], live[i]));
      }
      sb.append("<text x=\"")
          .append(Fmt.xy(ox + plotW / 2))
          .append("\" y=\"")
          .append(oy - 4)
          .append("\" text-anchor=\"middle\" font-weight=\"bold\">")
          .append(Fmt.html(r.category()))
          .append(" (PSI ")
          .append(num(r.psi()))
          .append(")</text>\n");
      sb.append("<rect x=\"")
          .append(ox)
          .append("\" y=\"")
          .append(oy)
          .append("\" width=\"")
          .append(Fmt.xy(plotW))
          .append("\" height=\"")
          .append(Fmt.xy(plotH))
          .append("\" fill=\"none\" stroke=\"#444\"/>\n");
      double bw = plotW / ScoreBins.BINS;
      for (int i = 0; i < ScoreBins.BINS; i++) {
        bar(sb, ox + i * bw, oy, bw / 2, plotH, card[i] / max, "#999", "card", i, card[i]);
        bar(
            sb,
            ox + i * bw + bw / 2,
            oy,
            bw / 2,
            plotH,
            live[i] / max,
            "#1f4e9c",
            "live",
            i,
            live[i]);
      }
      sb.append("<text x=\"")
          .append(ox)
          .append("\" y=\"")
          .append(Fmt.xy(oy + plotH + 11))
          .append("\">0</text>\n");
      sb.append("<text x=\"")
          .append(Fmt.xy(ox + plotW))
          .append("\" y=\"")
          .append(Fmt.xy(oy + plotH + 11))
          .append("\" text-anchor=\"end\">1</text>\n");
    }
    return sb.append("</svg>").toString();
  }

  private static void bar(
      StringBuilder sb,
      double x,
      int oy,
      double w,
      double plotH,
      double height,
      String color,
      String side,
      int bin,
      double share) {
    double h = height * plotH;
    sb.append("<rect x=\"")
        .append(Fmt.xy(x))
        .append("\" y=\"")
        .append(Fmt.xy(oy + plotH - h))
        .append("\" width=\"")
        .append(Fmt.xy(w))
        .append("\" height=\"")
        .append(Fmt.xy(h))
        .append("\" fill=\"")
        .append(color)
        .append("\"><title>")
        .append(side)
        .append(String.format(Locale.ROOT, " bin %d: %.4f", bin, share))
        .append("</title></rect>\n");
  }

  private static double[] shares(long[] counts) {
    double total = Arrays.stream(counts).sum();
    double[] s = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      s[i] = total == 0 ? 0 : counts[i] / total;
    }
    return s;
  }
}
