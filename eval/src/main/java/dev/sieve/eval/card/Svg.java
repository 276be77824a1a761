package dev.sieve.eval.card;

import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.Reliability;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.ConfusionMatrix;
import java.util.List;
import java.util.Locale;

/**
 * Hand-written SVG plots for the HTML card: no scripts, no external files, deterministic text (the
 * same card always draws the same bytes).
 */
final class Svg {

  private static final int PANEL_W = 240;
  private static final int PANEL_H = 210;
  private static final int M_LEFT = 38;
  private static final int M_TOP = 22;
  private static final int PLOT = 160;
  private static final int COLUMNS = 4;

  private Svg() {}

  /** One precision-recall panel per measured category, the operating point marked. */
  static String precisionRecall(List<CategoryResult> categories) {
    List<CategoryResult> measured =
        categories.stream().filter(c -> !c.prCurve().isEmpty()).toList();
    StringBuilder sb = open(measured.size(), "Precision-recall curves");
    for (int i = 0; i < measured.size(); i++) {
      CategoryResult c = measured.get(i);
      int ox = (i % COLUMNS) * PANEL_W;
      int oy = (i / COLUMNS) * PANEL_H;
      axes(sb, ox, oy, c.category(), "recall", "precision");
      StringBuilder pts = new StringBuilder();
      for (GroupCounts.CurvePoint p : c.prCurve()) {
        if (pts.length() > 0) {
          pts.append(' ');
        }
        pts.append(Fmt.xy(px(ox, p.recall()))).append(',').append(Fmt.xy(py(oy, p.precision())));
      }
      sb.append("<polyline fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"1.5\" points=\"")
          .append(pts)
          .append("\"/>\n");
      if (c.recall() != null
          && c.recall().value() != null
          && c.precision() != null
          && c.precision().value() != null) {
        sb.append("<circle cx=\"")
            .append(Fmt.xy(px(ox, c.recall().value())))
            .append("\" cy=\"")
            .append(Fmt.xy(py(oy, c.precision().value())))
            .append("\" r=\"4\" fill=\"#d9480f\"><title>threshold ")
            .append(Fmt.num(c.threshold(), 4))
            .append("</title></circle>\n");
      }
    }
    return sb.append("</svg>").toString();
  }

  /** Reliability diagrams: before calibration (grey) and served (blue) against the diagonal. */
  static String reliability(List<CategoryResult> categories) {
    List<CategoryResult> measured =
        categories.stream().filter(c -> !c.reliability().isEmpty()).toList();
    StringBuilder sb = open(measured.size(), "Reliability diagrams");
    for (int i = 0; i < measured.size(); i++) {
      CategoryResult c = measured.get(i);
      int ox = (i % COLUMNS) * PANEL_W;
      int oy = (i / COLUMNS) * PANEL_H;
      axes(sb, ox, oy, c.category(), "mean score", "positive rate");
      sb.append("<line x1=\"")
          .append(Fmt.xy(px(ox, 0)))
          .append("\" y1=\"")
          .append(Fmt.xy(py(oy, 0)))
          .append("\" x2=\"")
          .append(Fmt.xy(px(ox, 1)))
          .append("\" y2=\"")
          .append(Fmt.xy(py(oy, 1)))
          .append("\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
      series(sb, ox, oy, c.reliabilityUncalibrated(), "#999999");
      series(sb, ox, oy, c.reliability(), "#1f4e9c");
    }
    return sb.append("</svg>").toString();
  }

  private static void series(
      StringBuilder sb, int ox, int oy, List<Reliability.Bin> bins, String color) {
    StringBuilder pts = new StringBuilder();
    for (Reliability.Bin b : bins) {
      if (b.count() == 0 || b.meanScore() == null || b.positiveRate() == null) {
        continue;
      }
      String x = Fmt.xy(px(ox, b.meanScore()));
      String y = Fmt.xy(py(oy, b.positiveRate()));
      pts.append(pts.length() > 0 ? " " : "").append(x).append(',').append(y);
      sb.append("<circle cx=\"")
          .append(x)
          .append("\" cy=\"")
          .append(y)
          .append("\" r=\"2.5\" fill=\"")
          .append(color)
          .append("\"><title>n=")
          .append(b.count())
          .append("</title></circle>\n");
    }
    if (pts.length() > 0) {
      sb.append("<polyline fill=\"none\" stroke=\"")
          .append(color)
          .append("\" points=\"")
          .append(pts)
          .append("\"/>\n");
    }
  }

  /** Heat map of the category confusion, each row normalized by its positives. */
  static String confusion(ConfusionMatrix m) {
    int cell = 26;
    int left = 130;
    int top = 110;
    int w = left + cell * m.columns().size() + 10;
    int h = top + cell * m.rows().size() + 10;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\">\n")
        .append(
            "<title>Category confusion (row = true category, column = flagged category)</title>\n");
    for (int j = 0; j < m.columns().size(); j++) {
      double x = left + j * cell + cell / 2.0;
      sb.append("<text transform=\"translate(")
          .append(Fmt.xy(x))
          .append(',')
          .append(top - 4)
          .append(") rotate(-60)\">")
          .append(Fmt.html(m.columns().get(j)))
          .append("</text>\n");
    }
    for (int r = 0; r < m.rows().size(); r++) {
      double y = top + r * cell;
      sb.append("<text x=\"")
          .append(left - 4)
          .append("\" y=\"")
          .append(Fmt.xy(y + cell * 0.65))
          .append("\" text-anchor=\"end\">")
          .append(Fmt.html(m.rows().get(r)))
          .append("</text>\n");
      long total = m.rowTotals()[r];
      for (int j = 0; j < m.columns().size(); j++) {
        double rate = total == 0 ? 0 : (double) m.counts()[r][j] / total;
        int shade = (int) Math.round(255 - rate * 200);
        String fill = String.format(Locale.ROOT, "rgb(%d,%d,255)", shade, shade);
        sb.append("<rect x=\"")
            .append(left + j * cell)
            .append("\" y=\"")
            .append(Fmt.xy(y))
            .append("\" width=\"")
            .append(cell)
            .append("\" height=\"")
            .append(cell)
            .append("\" fill=\"")
            .append(fill)
            .append("\" stroke=\"#fff\"><title>")
            .append(Fmt.html(m.rows().get(r)))
            .append(" -> ")
            .append(Fmt.html(m.columns().get(j)))
            .append(": ")
            .append(m.counts()[r][j])
            .append(" of ")
            .append(total)
            .append("</title></rect>\n");
        if (m.counts()[r][j] > 0) {
          sb.append("<text x=\"")
              .append(Fmt.xy(left + j * cell + cell / 2.0))
              .append("\" y=\"")
              .append(Fmt.xy(y + cell * 0.65))
              .append("\" text-anchor=\"middle\" fill=\"")
              .append(rate > 0.5 ? "#fff" : "#000")
              .append("\">")
              .append(Math.round(rate * 100))
              .append("</text>\n");
        }
      }
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(int panels, String title) {
    int rows = Math.max(1, (panels + COLUMNS - 1) / COLUMNS);
    int w = PANEL_W * Math.min(Math.max(panels, 1), COLUMNS);
    int h = PANEL_H * rows;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\">\n<title>")
        .append(Fmt.html(title))
        .append("</title>\n");
    return sb;
  }

  private static void axes(
      StringBuilder sb, int ox, int oy, String title, String xLabel, String yLabel) {
    double x0 = px(ox, 0);
    double x1 = px(ox, 1);
    double y0 = py(oy, 0);
    double y1 = py(oy, 1);
    sb.append("<text x=\"")
        .append(Fmt.xy((x0 + x1) / 2))
        .append("\" y=\"")
        .append(oy + 14)
        .append("\" text-anchor=\"middle\" font-weight=\"bold\">")
        .append(Fmt.html(title))
        .append("</text>\n");
    sb.append("<rect x=\"")
        .append(Fmt.xy(x0))
        .append("\" y=\"")
        .append(Fmt.xy(y1))
        .append("\" width=\"")
        .append(PLOT)
        .append("\" height=\"")
        .append(PLOT)
        .append("\" fill=\"none\" stroke=\"#444\"/>\n");
    for (int t = 0; t <= 4; t++) {
      double v = t / 4.0;
      String label = String.format(Locale.ROOT, "%.2f", v);
      sb.append("<text x=\"")
          .append(Fmt.xy(px(ox, v)))
          .append("\" y=\"")
          .append(Fmt.xy(y0 + 11))
          .append("\" text-anchor=\"middle\">")
          .append(label)
          .append("</text>\n");
      sb.append("<text x=\"")
          .append(Fmt.xy(x0 - 3))
          .append("\" y=\"")
          .append(Fmt.xy(py(oy, v) + 3))
          .append("\" text-anchor=\"end\">")
          .append(label)
          .append("</text>\n");
    }
    sb.append("<text x=\"")
        .append(Fmt.xy((x0 + x1) / 2))
        .append("\" y=\"")
        .append(Fmt.xy(y0 + 22))
        .append("\" text-anchor=\"middle\" fill=\"#555\">")
        .append(xLabel)
        .append("</text>\n");
    sb.append("<text transform=\"translate(")
        .append(Fmt.xy(ox + 9))
        .append(',')
        .append(Fmt.xy((y0 + y1) / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\" fill=\"#555\">")
        .append(yLabel)
        .append("</text>\n");
  }

  private static double px(int ox, double v) {
    return ox + M_LEFT + v * PLOT;
  }

  private static double py(int oy, double v) {
    return oy + M_TOP + (1 - v) * PLOT;
  }
}
