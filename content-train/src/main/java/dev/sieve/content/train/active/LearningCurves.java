package dev.sieve.content.train.active;

import dev.sieve.core.text.MarkdownTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Learning curves of an {@link ActiveLearningSimulation}, summarized over seeds: the mean at each
 * budget with a 95 % t-interval over seeds, and each strategy's difference from random paired by
 * seed (the same seed set), with its own interval, so "beats random" is a statement with an error
 * bar. Renders Markdown and a small self-contained SVG figure.
 */
public final class LearningCurves {

  /** Mean and 95 % interval half-width over seeds. */
  public record Stat(double mean, double halfWidth, int n) {
    double low() {
      return mean - halfWidth;
    }

    double high() {
      return mean + halfWidth;
    }
  }

  private final ActiveLearningSimulation.Result result;

  /** strategy -> budget -> seed -> macro AP. */
  private final Map<String, TreeMap<Integer, TreeMap<Integer, Double>>> ap = new LinkedHashMap<>();

  private final Map<String, TreeMap<Integer, TreeMap<Integer, Double>>> f1 = new LinkedHashMap<>();

  public LearningCurves(ActiveLearningSimulation.Result result) {
    this.result = result;
    for (ActiveLearningSimulation.Point p : result.points()) {
      ap.computeIfAbsent(p.strategy(), s -> new TreeMap<>())
          .computeIfAbsent(p.labels(), b -> new TreeMap<>())
          .put(p.seed(), p.macroAp());
      f1.computeIfAbsent(p.strategy(), s -> new TreeMap<>())
          .computeIfAbsent(p.labels(), b -> new TreeMap<>())
          .put(p.seed(), p.macroF1());
    }
  }

  public List<String> strategies() {
    return new ArrayList<>(ap.keySet());
  }

  public List<Integer> budgets() {
    TreeSet<Integer> budgets = new TreeSet<>();
    ap.values().forEach(m -> budgets.addAll(m.keySet()));
    return new ArrayList<>(budgets);
  }

  /** Macro AP of {@code strategy} at {@code budget} over seeds. */
  public Stat ap(String strategy, int budget) {
    return stat(new ArrayList<>(ap.get(strategy).getOrDefault(budget, new TreeMap<>()).values()));
  }

  public Stat f1(String strategy, int budget) {
    return stat(new ArrayList<>(f1.get(strategy).getOrDefault(budget, new TreeMap<>()).values()));
  }

  /** {@code strategy} minus random at {@code budget}, paired by seed. */
  public Stat apGainOverRandom(String strategy, int budget) {
    Map<Integer, Double> mine = ap.get(strategy).getOrDefault(budget, new TreeMap<>());
    Map<Integer, Double> random =
        ap.getOrDefault("random", new TreeMap<>()).getOrDefault(budget, new TreeMap<>());
    List<Double> diffs = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : mine.entrySet()) {
      Double r = random.get(e.getKey());
      if (r != null) {
        diffs.add(e.getValue() - r);
      }
    }
    return stat(diffs);
  }

  /**
   * The fewest labels at which {@code strategy}'s mean macro AP reaches {@code target}; -1 if
   * never.
   */
  public int labelsToReach(String strategy, double target) {
    for (int budget : budgets()) {
      if (ap(strategy, budget).mean() >= target) {
        return budget;
      }
    }
    return -1;
  }

  static Stat stat(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new Stat(Double.NaN, Double.NaN, 0);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n == 1) {
      return new Stat(mean, Double.NaN, 1);
    }
    double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
    return new Stat(mean, tQuantile975(n - 1) * Math.sqrt(var / n), n);
  }

  /** Student's t 0.975 quantile for small degrees of freedom (table; normal beyond 30). */
  static double tQuantile975(int df) {
    double[] table = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
      2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
      2.052, 2.048, 2.045, 2.042
    };
    return df <= 0 ? Double.NaN : df <= table.length ? table[df - 1] : 1.96;
  }

  /**
   * The Markdown section (tables and verdict); {@code figure} is the SVG's path relative to the
   * doc.
   */
  public String markdown(String command, String dataset, String figure, String machine) {
    StringBuilder md = new StringBuilder();
    List<Integer> budgets = budgets();
    int last = budgets.get(budgets.size() - 1);
    md.append("Command: `").append(command).append("`  \n");
    md.append("Dataset `")
        .append(dataset)
        .append("`, texts: pool = train split (")
        .append(n(result.poolSize()))
        .append(" items, labels hidden), measured on the dev split (")
        .append(n(result.devSize()))
        .append(" items). ")
        .append(machine)
        .append(", ")
        .append(String.format(Locale.ROOT, "%.0f", result.seconds()))
        .append(" s.\n\n");
    md.append("Categories measured (dev positives): ");
    List<String> cats = new ArrayList<>();
    for (int c = 0; c < result.categories().size(); c++) {
      cats.add(result.categories().get(c) + " (" + result.devPositives()[c] + ")");
    }
    md.append(String.join(", ", cats)).append(".\n\n");
    md.append("![macro PR-AUC against labels](").append(figure).append(")\n\n");
    md.append(
            "Macro PR-AUC (average precision, mean over seeds ± 95 % t-interval); the model trained on the whole "
                + "labelled pool reaches ")
        .append(f3(result.fullPoolMacroAp()))
        .append(" (macro F1 at 0.5: ")
        .append(f3(result.fullPoolMacroF1()))
        .append(").\n\n");
    List<String> header = new ArrayList<>(List.of("labels"));
    header.addAll(strategies());
    for (String s : strategies()) {
      if (!s.equals("random")) {
        header.add(s + " − random");
      }
    }
    MarkdownTable table = MarkdownTable.compact(header);
    for (int i = 0; i < header.size(); i++) {
      table.alignRight(i);
    }
    for (int budget : budgets) {
      List<String> row = new ArrayList<>(List.of(n(budget)));
      for (String s : strategies()) {
        row.add(pm(ap(s, budget)));
      }
      for (String s : strategies()) {
        if (!s.equals("random")) {
          row.add(signedPm(apGainOverRandom(s, budget)));
        }
      }
      table.row(row);
    }
    table.appendTo(md);
    md.append("\nMacro F1 at threshold 0.5 at the largest budget (")
        .append(n(last))
        .append(" labels): ");
    List<String> f1s = new ArrayList<>();
    for (String s : strategies()) {
      f1s.add(s + " " + pm(f1(s, last)));
    }
    md.append(String.join("; ", f1s)).append(".\n\n");
    if (ap.containsKey("random")) {
      double target = ap("random", last).mean();
      List<String> reach = new ArrayList<>();
      for (String s : strategies()) {
        int labels = labelsToReach(s, target);
        reach.add(s + ": " + (labels < 0 ? "not within the budget" : n(labels)));
      }
      md.append("Labels needed to reach random's macro PR-AUC at ")
          .append(n(last))
          .append(" labels (")
          .append(f3(target))
          .append("): ")
          .append(String.join("; ", reach))
          .append(".\n\n");
      md.append("Verdict at the largest budget: ");
      List<String> verdicts = new ArrayList<>();
      for (String s : strategies()) {
        if (s.equals("random")) {
          continue;
        }
        Stat gain = apGainOverRandom(s, last);
        String v =
            gain.low() > 0
                ? "beats random"
                : gain.high() < 0 ? "is worse than random" : "is not distinguishable from random";
        verdicts.add(
            "**"
                + s
                + " "
                + v
                + "** ("
                + signedPm(gain)
                + " macro PR-AUC, "
                + gain.n()
                + " paired seeds)");
      }
      md.append(String.join("; ", verdicts)).append(".\n");
    }
    return md.toString();
  }

  /** A line chart of macro AP against labels, one line and 95 % band per strategy. */
  public String svg() {
    int width = 640;
    int height = 380;
    int left = 60;
    int right = 150;
    int top = 20;
    int bottom = 50;
    List<Integer> budgets = budgets();
    double xMin = budgets.get(0);
    double xMax = budgets.get(budgets.size() - 1);
    double yMin = Double.MAX_VALUE;
    double yMax = -Double.MAX_VALUE;
    for (String s : strategies()) {
      for (int b : budgets) {
        Stat st = ap(s, b);
        yMin = Math.min(yMin, Double.isNaN(st.halfWidth()) ? st.mean() : st.low());
        yMax = Math.max(yMax, Double.isNaN(st.halfWidth()) ? st.mean() : st.high());
      }
    }
    yMin = Math.floor(yMin * 20) / 20;
    yMax = Math.ceil(yMax * 20) / 20;
    String[] colors = {"#1b6ac9", "#d1495b", "#2e933c", "#8e6c8a"};
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            width,
            height,
            width,
            height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    int plotW = width - left - right;
    int plotH = height - top - bottom;
    for (int t = 0; t <= 5; t++) {
      double y = yMin + (yMax - yMin) * t / 5;
      double py = top + plotH - plotH * t / 5.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              left,
              py,
              left + plotW,
              py));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n",
              left - 6,
              py + 4,
              y));
    }
    for (int b : budgets) {
      double px = left + plotW * (b - xMin) / Math.max(1, xMax - xMin);
      if (budgets.size() <= 8 || budgets.indexOf(b) % 2 == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                px,
                top + plotH + 18,
                b));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">labels (items annotated)</text>%n",
            left + plotW / 2,
            height - 10));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"rotate(-90)\" x=\"%d\" y=\"16\" text-anchor=\"middle\">dev macro PR-AUC</text>%n",
            -(top + plotH / 2)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            left,
            top,
            plotW,
            plotH));
    int index = 0;
    for (String s : strategies()) {
      String color = colors[index % colors.length];
      StringBuilder band = new StringBuilder();
      StringBuilder line = new StringBuilder();
      List<double[]> upper = new ArrayList<>();
      List<double[]> lower = new ArrayList<>();
      for (int b : budgets) {
        Stat st = ap(s, b);
        double px = left + plotW * (b - xMin) / Math.max(1, xMax - xMin);
        line.append(line.length() == 0 ? "M" : " L")
            .append(
                String.format(Locale.ROOT, "%.1f %.1f", px, py(st.mean(), yMin, yMax, top, plotH)));
        if (!Double.isNaN(st.halfWidth())) {
          upper.add(new double[] {px, py(st.high(), yMin, yMax, top, plotH)});
          lower.add(0, new double[] {px, py(st.low(), yMin, yMax, top, plotH)});
        }
      }
      if (!upper.isEmpty()) {
        for (double[] p : upper) {
          band.append(band.length() == 0 ? "M" : " L")
              .append(String.format(Locale.ROOT, "%.1f %.1f", p[0], p[1]));
        }
        for (double[] p : lower) {
          band.append(String.format(Locale.ROOT, " L%.1f %.1f", p[0], p[1]));
        }
        svg.append("<path d=\"")
            .append(band)
            .append(" Z\" fill=\"")
            .append(color)
            .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
      }
      svg.append("<path d=\"")
          .append(line)
          .append("\" fill=\"none\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\"/>\n");
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              left + plotW + 12,
              top + 14 + 20 * index,
              left + plotW + 32,
              top + 14 + 20 * index,
              color));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              left + plotW + 38,
              top + 18 + 20 * index,
              s));
      index++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double py(double y, double yMin, double yMax, int top, int plotH) {
    return top + plotH - plotH * (y - yMin) / Math.max(1e-9, yMax - yMin);
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pm(Stat s) {
    return Double.isNaN(s.halfWidth()) ? f3(s.mean()) : f3(s.mean()) + " ± " + f3(s.halfWidth());
  }

  private static String signedPm(Stat s) {
    String mean = String.format(Locale.ROOT, "%+.3f", s.mean());
    return Double.isNaN(s.halfWidth()) ? mean : mean + " ± " + f3(s.halfWidth());
  }
}
