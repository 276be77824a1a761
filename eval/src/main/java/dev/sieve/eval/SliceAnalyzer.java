package dev.sieve.eval;

import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.SliceRow;
import dev.sieve.eval.report.SliceTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-slice tables: for every slice dimension the examples carry (source list, TLD, input kind,
 * length bucket, popularity, protected slices), the size, recall and block rate of each value.
 *
 * <p>The protected table also gets a reference row for ordinary background sites, because a
 * protected-slice block rate only means something next to the rate ordinary sites see.
 */
final class SliceAnalyzer {

  static final int MAX_ROWS = 25;
  static final String OTHER = "(other)";
  static final String ORDINARY = "(ordinary background sites)";
  static final List<String> PREFERRED =
      List.of("protected", "kind", "source", "popularity", "length", "tld");

  private SliceAnalyzer() {}

  static List<SliceTable> tables(
      List<Example> examples,
      List<String> categories,
      boolean[][] decided,
      boolean[] blocked,
      String[] status,
      Set<String> blocking) {
    TreeSet<String> dims = new TreeSet<>();
    examples.forEach(e -> dims.addAll(e.slices().keySet()));
    List<String> ordered = new ArrayList<>();
    for (String d : PREFERRED) {
      if (dims.remove(d)) {
        ordered.add(d);
      }
    }
    ordered.addAll(dims);
    List<SliceTable> out = new ArrayList<>();
    for (String dim : ordered) {
      Map<String, List<Integer>> members = new TreeMap<>();
      for (int i = 0; i < examples.size(); i++) {
        for (String v : examples.get(i).slice(dim)) {
          members.computeIfAbsent(v, x -> new ArrayList<>()).add(i);
        }
      }
      List<Map.Entry<String, List<Integer>>> entries = new ArrayList<>(members.entrySet());
      entries.sort(
          Comparator.<Map.Entry<String, List<Integer>>>comparingInt(e -> -e.getValue().size())
              .thenComparing(Map.Entry::getKey));
      List<SliceRow> rows = new ArrayList<>();
      List<Integer> other = new ArrayList<>();
      for (int r = 0; r < entries.size(); r++) {
        boolean keep = dim.equals("protected") || r < MAX_ROWS - 1 || entries.size() == MAX_ROWS;
        if (keep) {
          rows.add(
              row(
                  entries.get(r).getKey(),
                  entries.get(r).getValue(),
                  examples,
                  categories,
                  decided,
                  blocked,
                  status,
                  blocking));
        } else {
          other.addAll(entries.get(r).getValue());
        }
      }
      if (!other.isEmpty()) {
        rows.add(
            row(
                OTHER,
                new ArrayList<>(new TreeSet<>(other)),
                examples,
                categories,
                decided,
                blocked,
                status,
                blocking));
      }
      if (dim.equals("protected")) {
        List<Integer> bg = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
          if (examples.get(i).background() && examples.get(i).slice("protected").isEmpty()) {
            bg.add(i);
          }
        }
        if (!bg.isEmpty()) {
          rows.add(row(ORDINARY, bg, examples, categories, decided, blocked, status, blocking));
        }
      }
      out.add(new SliceTable(dim, rows));
    }
    return out;
  }

  private static SliceRow row(
      String value,
      List<Integer> idx,
      List<Example> examples,
      List<String> categories,
      boolean[][] decided,
      boolean[] blocked,
      String[] status,
      Set<String> blocking) {
    long positives = 0;
    long shouldAllow = 0;
    long overBlocked = 0;
    long pairs = 0;
    long hits = 0;
    long nBlocked = 0;
    long[] flagged = new long[categories.size()];
    for (int i : idx) {
      Example e = examples.get(i);
      boolean anyPositive = false;
      for (int c = 0; c < categories.size(); c++) {
        if (decided[c][i]) {
          flagged[c]++;
        }
        if (status[c].equals(CategoryResult.NOT_SCORED) || !e.positive(categories.get(c))) {
          continue;
        }
        anyPositive = true;
        pairs++;
        if (decided[c][i]) {
          hits++;
        }
      }
      if (anyPositive) {
        positives++;
      }
      if (blocked[i]) {
        nBlocked++;
      }
      if (e.labels().stream().noneMatch(blocking::contains)) {
        shouldAllow++;
        if (blocked[i]) {
          overBlocked++;
        }
      }
    }
    int top = -1;
    for (int c = 0; c < categories.size(); c++) {
      if (flagged[c] > 0 && (top < 0 || flagged[c] > flagged[top])) {
        top = c;
      }
    }
    double rate = idx.isEmpty() ? Double.NaN : (double) nBlocked / idx.size();
    return new SliceRow(
        value,
        idx.size(),
        positives,
        pairs == 0 ? null : (double) hits / pairs,
        Estimate.of(rate, Wilson.interval(nBlocked, idx.size())),
        top < 0 ? "" : categories.get(top),
        shouldAllow,
        shouldAllow == 0
            ? Estimate.of(Double.NaN, Wilson.interval(0, 0))
            : Estimate.of(
                (double) overBlocked / shouldAllow, Wilson.interval(overBlocked, shouldAllow)));
  }
}
