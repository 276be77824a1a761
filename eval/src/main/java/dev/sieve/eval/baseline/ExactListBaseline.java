package dev.sieve.eval.baseline;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.scoring.PredictionSource;
import dev.sieve.eval.scoring.Predictions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simplest filter: exact lookup of the host (and its parent domains) in a table built from the
 * lists' training hosts. Score 1 for the listed categories, 0 for the others; no opinion on text
 * inputs.
 *
 * <p>On a test split grouped by registered domain, the table by construction has never seen the
 * test sites: this baseline measures what a pure list does on the long tail of new domains — the
 * condition the learned tiers exist for — and the card says so.
 */
public final class ExactListBaseline implements PredictionSource {

  private final Map<String, Set<String>> table;
  private final String description;

  public ExactListBaseline(Map<String, Set<String>> table, String description) {
    this.table = table;
    this.description = description;
  }

  /** A table from host records (use train and dev records only). */
  public static ExactListBaseline fromRecords(Iterable<DomainRecord> records, String description) {
    Map<String, Set<String>> table = new HashMap<>();
    for (DomainRecord r : records) {
      if (!r.labels().isEmpty()) {
        table.computeIfAbsent(r.host(), h -> new HashSet<>()).addAll(r.labels());
      }
    }
    return new ExactListBaseline(table, description);
  }

  public int size() {
    return table.size();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    int n = examples.size();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : categories) {
      double[] v = new double[n];
      Arrays.fill(v, Double.NaN);
      out.put(c, v);
    }
    for (int i = 0; i < n; i++) {
      Example e = examples.get(i);
      if (!DatasetExamples.isUrl(e)) {
        continue;
      }
      Set<String> hit = lookup(e.input());
      for (String c : categories) {
        out.get(c)[i] = hit.contains(c) ? 1.0 : 0.0;
      }
    }
    return new Predictions(Scores.of(out, n), List.of(), Optional.empty());
  }

  /** Labels of the host or its closest listed parent domain. */
  Set<String> lookup(String host) {
    String h = host;
    while (true) {
      Set<String> labels = table.get(h);
      if (labels != null) {
        return labels;
      }
      int dot = h.indexOf('.');
      if (dot < 0 || h.indexOf('.', dot + 1) < 0) {
        return Set.of(); // stop at the last two labels
      }
      h = h.substring(dot + 1);
    }
  }

  /** For reports: hosts in the table. */
  public List<String> hosts() {
    return new ArrayList<>(table.keySet());
  }
}
