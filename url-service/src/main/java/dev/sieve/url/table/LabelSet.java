package dev.sieve.url.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The taxonomy labels of one known-domain table entry together with the source lists behind each
 * label.
 *
 * <p>Interned by the table: a million list entries share a few hundred distinct label sets, so each
 * entry stores one small integer instead of its own lists and maps. The per-category source string
 * is precomputed because it is what every matching request puts into its evidence.
 *
 * @param labels taxonomy ids, sorted
 * @param sourcesByCategory category id to the comma-separated, sorted source lists that said so
 *     (e.g. "blocklistproject/gambling,ut1/gambling")
 */
public record LabelSet(List<String> labels, Map<String, String> sourcesByCategory) {

  public LabelSet {
    labels = List.copyOf(labels);
    sourcesByCategory = Map.copyOf(sourcesByCategory);
  }

  /**
   * Builds the label set of a dataset record: {@code labels} restricted to {@code allowed}, and for
   * each label the sources (list ids) whose mapped labels include it.
   *
   * @param labels the record's taxonomy labels
   * @param sources the record's provenance: source list id to the taxonomy ids it said
   * @param allowed the taxonomy ids this table knows (others are ignored)
   */
  public static LabelSet of(
      List<String> labels, Map<String, List<String>> sources, Set<String> allowed) {
    TreeSet<String> kept = new TreeSet<>();
    for (String label : labels) {
      if (allowed.contains(label)) {
        kept.add(label);
      }
    }
    Map<String, String> byCategory = new TreeMap<>();
    for (String label : kept) {
      TreeSet<String> lists = new TreeSet<>();
      for (Map.Entry<String, List<String>> source : sources.entrySet()) {
        if (source.getValue() != null && source.getValue().contains(label)) {
          lists.add(source.getKey());
        }
      }
      byCategory.put(label, lists.isEmpty() ? "unknown-source" : String.join(",", lists));
    }
    return new LabelSet(new ArrayList<>(kept), byCategory);
  }

  /** The union of two label sets (a host listed twice, e.g. by two dataset rows). */
  public LabelSet union(LabelSet other) {
    TreeSet<String> all = new TreeSet<>(labels);
    all.addAll(other.labels);
    Map<String, String> byCategory = new TreeMap<>();
    for (String label : all) {
      TreeSet<String> lists = new TreeSet<>();
      for (LabelSet set : List.of(this, other)) {
        String s = set.sourcesByCategory.get(label);
        if (s != null) {
          lists.addAll(List.of(s.split(",")));
        }
      }
      byCategory.put(label, String.join(",", lists));
    }
    return new LabelSet(new ArrayList<>(all), byCategory);
  }

  public boolean isEmpty() {
    return labels.isEmpty();
  }

  /** The source lists behind {@code category}, or "" when this set does not carry it. */
  public String sourcesOf(String category) {
    return Objects.requireNonNullElse(sourcesByCategory.get(category), "");
  }
}
