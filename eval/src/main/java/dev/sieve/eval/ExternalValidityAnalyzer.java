package dev.sieve.eval;

import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.ExternalValidity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes {@link ExternalValidity}: flag rates on ordinary inputs per category and per group (all,
 * every input kind, every ordinary source), with Wilson intervals, and the false-alert rate.
 */
final class ExternalValidityAnalyzer {

  private ExternalValidityAnalyzer() {}

  /** The groups an ordinary example belongs to: "all", its input kind, its source(s). */
  static List<String> groupsOf(Example e) {
    List<String> out = new ArrayList<>();
    out.add(ExternalValidity.ALL);
    for (String input : e.slice(DatasetExamples.INPUT)) {
      out.add("input:" + input);
    }
    for (String source : e.slice("source")) {
      out.add("source:" + source);
    }
    return out;
  }

  static ExternalValidity analyze(
      List<Example> examples,
      List<String> categories,
      boolean[][] decided,
      String[] status,
      Set<String> alerting,
      boolean[] servedAlerts) {
    TreeSet<String> groupSet = new TreeSet<>();
    for (Example e : examples) {
      if (e.background()) {
        groupSet.addAll(groupsOf(e));
      }
    }
    List<String> groups = new ArrayList<>();
    if (groupSet.remove(ExternalValidity.ALL)) {
      groups.add(ExternalValidity.ALL);
    }
    groupSet.stream().filter(g -> g.startsWith("input:")).forEach(groups::add);
    groupSet.stream().filter(g -> !g.startsWith("input:")).forEach(groups::add);
    if (groups.isEmpty()) {
      return new ExternalValidity(List.of(), List.of(), null);
    }
    List<ExternalValidity.GroupRate> rates = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      if (status[c].equals(CategoryResult.NOT_SCORED)) {
        continue;
      }
      String category = categories.get(c);
      Map<String, long[]> counts = new LinkedHashMap<>();
      groups.forEach(g -> counts.put(g, new long[2]));
      for (int i = 0; i < examples.size(); i++) {
        Example e = examples.get(i);
        if (!e.background() || e.positive(category)) {
          continue;
        }
        for (String g : groupsOf(e)) {
          long[] n = counts.get(g);
          n[0]++;
          if (decided[c][i]) {
            n[1]++;
          }
        }
      }
      counts.forEach(
          (g, n) ->
              rates.add(
                  new ExternalValidity.GroupRate(
                      category,
                      g,
                      n[0],
                      n[1],
                      n[0] == 0
                          ? null
                          : Estimate.of((double) n[1] / n[0], Wilson.interval(n[1], n[0])))));
    }
    long items = 0;
    long alerted = 0;
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (!e.background() || alerting.stream().anyMatch(e::positive)) {
        continue;
      }
      items++;
      if (servedAlerts != null) {
        alerted += servedAlerts[i] ? 1 : 0;
        continue;
      }
      for (int c = 0; c < categories.size(); c++) {
        if (alerting.contains(categories.get(c)) && decided[c][i]) {
          alerted++;
          break;
        }
      }
    }
    Estimate falseAlerts =
        items == 0 ? null : Estimate.of((double) alerted / items, Wilson.interval(alerted, items));
    return new ExternalValidity(groups, rates, falseAlerts);
  }
}
