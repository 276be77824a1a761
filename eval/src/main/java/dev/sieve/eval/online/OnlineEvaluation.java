package dev.sieve.eval.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.CategoryResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Offline against online (#15 item 4): served verdicts joined with labels that arrived later
 * (annotated samples, user reports, disagreement reviews), per category the online precision and
 * recall with 95% intervals, compared with the model card's offline numbers.
 *
 * <p>The sampling rule is part of the estimate. Labels are rarely a uniform sample of traffic: the
 * annotation queue favours uncertain scores and disagreements, which are exactly where the model is
 * wrong most often, so precision computed over such labels as if uniform is biased low. Every label
 * line therefore carries {@code p}, the probability with which the item was drawn for labelling (1
 * for a census, the uniform rate, or the queue's per-item probability), and every count is weighted
 * by 1/p (Horvitz-Thompson), and the 95% interval is Wilson's over Kish's effective sample size of
 * those weights (a bootstrap was tried first: with no false negative among the few heavily weighted
 * labels its percentile interval collapses to a point and calls every card value a gap; Wilson's
 * does not).
 *
 * <p>A category's gap is <em>significant</em> when the card's offline value lies outside the online
 * 95% interval: the labelled sample is then unlikely to come from a model that performs as its card
 * says on this traffic.
 *
 * <p>Labels (JSONL, docs/operations.md "Offline against online"): {@code {"url": "...", "id": ...,
 * "categories": ["gambling"], "judged": ["gambling", "news"], "p": 0.2}} — {@code url} or {@code
 * id} joins with classify-batch output (its {@code id} first, else its {@code url}); {@code
 * categories} the categories the item truly belongs to; {@code judged} the categories the labeller
 * decided on (default: every category of the verdict), the others are not counted; {@code p} the
 * inclusion probability (default 1).
 */
public final class OnlineEvaluation {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The card's offline numbers for a category (NaN when undefined). */
  public record Offline(double precision, double recall) {}

  /** One category's comparison. */
  public record Row(
      String category,
      int labelled,
      double positives,
      double tp,
      double fp,
      double fn,
      double precision,
      Bootstrap.Interval precisionCi,
      double recall,
      Bootstrap.Interval recallCi,
      Offline offline,
      boolean precisionGap,
      boolean recallGap) {

    public boolean significant() {
      return precisionGap || recallGap;
    }
  }

  /** A labelled, served item. */
  record Item(Map<String, Boolean> decided, Map<String, Boolean> truth, double weight) {}

  private final List<Row> rows;
  private final int joined;
  private final int unmatched;
  private final int labels;

  private OnlineEvaluation(List<Row> rows, int joined, int unmatched, int labels) {
    this.rows = rows;
    this.joined = joined;
    this.unmatched = unmatched;
    this.labels = labels;
  }

  public List<Row> rows() {
    return rows;
  }

  /** Label lines that matched a served verdict. */
  public int joined() {
    return joined;
  }

  /** Label lines without a served verdict (not counted). */
  public int unmatched() {
    return unmatched;
  }

  public int labels() {
    return labels;
  }

  /** Categories whose online precision or recall differs significantly from the card's. */
  public List<String> significantGaps() {
    return rows.stream().filter(Row::significant).map(Row::category).toList();
  }

  /** The card's precision and recall per category (test split, at the card's operating point). */
  public static Map<String, Offline> offline(ModelCard card) {
    Map<String, Offline> out = new LinkedHashMap<>();
    for (CategoryResult r : card.quantitativeAnalyses().categories()) {
      double p = r.tp() + r.fp() == 0 ? Double.NaN : (double) r.tp() / (r.tp() + r.fp());
      double rec = r.tp() + r.fn() == 0 ? Double.NaN : (double) r.tp() / (r.tp() + r.fn());
      out.put(r.category(), new Offline(p, rec));
    }
    return out;
  }

  /**
   * Joins {@code verdicts} (classify-batch output) with {@code labels} and compares with {@code
   * offline}.
   */
  public static OnlineEvaluation of(Path verdicts, Path labels, Map<String, Offline> offline)
      throws IOException {
    Map<String, JsonNode> served = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(verdicts, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode v = JSON.readTree(line);
        if (!v.path("categories").isObject() || v.path("degraded").asBoolean(false)) {
          continue; // errors and degraded verdicts are not the fleet's judgement
        }
        if (v.hasNonNull("id")) {
          served.put("id:" + v.get("id").asText(), v);
        }
        if (v.hasNonNull("url")) {
          served.putIfAbsent("url:" + v.get("url").asText(), v);
        }
      }
    }
    List<Item> items = new ArrayList<>();
    int unmatched = 0;
    int count = 0;
    try (BufferedReader reader = Files.newBufferedReader(labels, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        count++;
        JsonNode l = JSON.readTree(line);
        double p = l.path("p").asDouble(1.0);
        if (!(p > 0 && p <= 1)) {
          throw new IllegalArgumentException(
              labels + " line " + number + ": p must be in (0, 1], got " + l.path("p"));
        }
        JsonNode v = l.hasNonNull("id") ? served.get("id:" + l.get("id").asText()) : null;
        if (v == null && l.hasNonNull("url")) {
          v = served.get("url:" + l.get("url").asText());
        }
        if (v == null) {
          unmatched++;
          continue;
        }
        TreeSet<String> truth = new TreeSet<>();
        l.path("categories").forEach(c -> truth.add(c.asText()));
        TreeSet<String> judged = new TreeSet<>();
        l.path("judged").forEach(c -> judged.add(c.asText()));
        Map<String, Boolean> decided = new HashMap<>();
        Map<String, Boolean> truthMap = new HashMap<>();
        for (var it = v.path("categories").fields(); it.hasNext(); ) {
          var e = it.next();
          if (!judged.isEmpty() && !judged.contains(e.getKey())) {
            continue;
          }
          decided.put(e.getKey(), e.getValue().path("decision").asBoolean(false));
          truthMap.put(e.getKey(), truth.contains(e.getKey()));
        }
        items.add(new Item(decided, truthMap, 1 / p));
      }
    }
    return new OnlineEvaluation(rows(items, offline), items.size(), unmatched, count);
  }

  static List<Row> rows(List<Item> items, Map<String, Offline> offline) {
    TreeSet<String> categories = new TreeSet<>();
    items.forEach(i -> categories.addAll(i.decided().keySet()));
    List<Row> rows = new ArrayList<>();
    for (String c : categories) {
      List<Item> relevant = items.stream().filter(i -> i.decided().containsKey(c)).toList();
      double[] counts = counts(relevant, c);
      if (counts[0] + counts[1] + counts[2] == 0) {
        continue; // never decided and never true in the labelled sample: nothing to estimate
      }
      double precision = ratio(counts[0], counts[0] + counts[1]);
      double recall = ratio(counts[0], counts[0] + counts[2]);
      Bootstrap.Interval pci = Wilson.interval(precision, effectiveSize(relevant, c, true));
      Bootstrap.Interval rci = Wilson.interval(recall, effectiveSize(relevant, c, false));
      Offline off = offline.getOrDefault(c, new Offline(Double.NaN, Double.NaN));
      rows.add(
          new Row(
              c,
              relevant.size(),
              counts[0] + counts[2],
              counts[0],
              counts[1],
              counts[2],
              precision,
              pci,
              recall,
              rci,
              off,
              outside(off.precision(), pci),
              outside(off.recall(), rci)));
    }
    return List.copyOf(rows);
  }

  /**
   * Kish's effective sample size, (sum w)^2 / sum w^2, of the items in precision's denominator
   * (decided) or recall's (truly in the category): how many unweighted items the weighted ones are
   * worth, which the Wilson interval then uses.
   */
  private static double effectiveSize(List<Item> items, String c, boolean decided) {
    double sum = 0;
    double squares = 0;
    for (Item i : items) {
      if (decided ? i.decided().get(c) : i.truth().get(c)) {
        sum += i.weight();
        squares += i.weight() * i.weight();
      }
    }
    return squares == 0 ? 0 : sum * sum / squares;
  }

  /** Weighted TP, FP, FN of category {@code c} over {@code items}. */
  private static double[] counts(List<Item> items, String c) {
    double[] out = new double[3];
    for (Item i : items) {
      boolean d = i.decided().get(c);
      boolean t = i.truth().get(c);
      if (d && t) {
        out[0] += i.weight();
      } else if (d) {
        out[1] += i.weight();
      } else if (t) {
        out[2] += i.weight();
      }
    }
    return out;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  private static boolean outside(double value, Bootstrap.Interval ci) {
    return !Double.isNaN(value)
        && !Double.isNaN(ci.lower())
        && (value < ci.lower() || value > ci.upper());
  }

  /** The report as Markdown (a table per category, the significant gaps named first). */
  public String markdown(String verdictsSource, String labelsSource, String cardLabel) {
    StringBuilder sb = new StringBuilder("# Offline against online\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Served verdicts %s joined with labels %s: %d of %d label lines"
                + " matched a served, non-degraded verdict (%d unmatched). Offline: %s. Counts are weighted by 1/p, the"
                + " probability each item had of being labelled; intervals are 95%% Wilson intervals over Kish's effective"
                + " sample size of the weights. A gap is significant when the card's value lies outside the online interval.%n%n",
            verdictsSource,
            labelsSource,
            joined,
            labels,
            unmatched,
            cardLabel));
    List<String> gaps = significantGaps();
    sb.append(
        gaps.isEmpty()
            ? "No significant gap.\n\n"
            : "**Significant gaps: " + String.join(", ", gaps) + ".**\n\n");
    MarkdownTable table =
        MarkdownTable.spaced(
            List.of(
                "category",
                "labelled",
                "positives (weighted)",
                "online precision [95% CI]",
                "card precision",
                "online recall [95% CI]",
                "card recall",
                "gap"));
    for (Row r : rows) {
      table.row(
          r.category(),
          r.labelled(),
          String.format(Locale.ROOT, "%.1f", r.positives()),
          ci(r.precision(), r.precisionCi()),
          num(r.offline().precision()),
          ci(r.recall(), r.recallCi()),
          num(r.offline().recall()),
          r.significant()
              ? (r.precisionGap() ? "precision" : "")
                  + (r.precisionGap() && r.recallGap() ? ", " : "")
                  + (r.recallGap() ? "recall" : "")
              : "no");
    }
    table.appendTo(sb);
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ci(double v, Bootstrap.Interval ci) {
    return Double.isNaN(v)
        ? "n/a"
        : String.format(Locale.ROOT, "%.3f [%s, %s]", v, num(ci.lower()), num(ci.upper()));
  }
}
