package dev.sieve.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One evaluation item as the metrics see it: an id, what was scored, which split it is from, its
 * labels and — crucially — the categories those labels are complete for.
 *
 * <p>Lists are positive-only, so "not labelled gambling" does not mean "not gambling" unless the
 * record's {@code scope} says its labels are complete for gambling. Every metric in this module
 * counts an example for a category only when {@link #inScope(String)} holds, which is how negatives
 * come from the background of ordinary sites (scope {@code "*"}) instead of from the accident of
 * which lists were imported.
 *
 * @param id stable id (e.g. {@code "domain:example.com"}, {@code "text:davidson/123"})
 * @param input what a human reads when reviewing an error: the host, URL or (truncated) text
 * @param split "train", "dev" or "test"
 * @param labels categories the item is positive for
 * @param scope categories the labels are complete for; {@code "*"} means all
 * @param slices slice dimension (e.g. "source", "tld", "protected") to the values this item belongs
 *     to; multi-valued because a host can be on several lists
 * @param provenance label source id (e.g. "ut1/gambling") to the categories it asserted
 * @param flags known-noise flags carried from the dataset
 * @param background true for ordinary-traffic items (weak negatives for every category): the
 *     denominator of the over-blocking rate
 */
public record Example(
    String id,
    String input,
    String split,
    Set<String> labels,
    Set<String> scope,
    Map<String, List<String>> slices,
    Map<String, List<String>> provenance,
    List<String> flags,
    boolean background) {

  public static final String ALL = "*";

  public Example {
    Objects.requireNonNull(id, "id");
    input = input == null ? "" : input;
    split = Objects.requireNonNull(split, "split");
    labels = sorted(labels);
    scope = sorted(scope);
    slices = copySorted(slices);
    provenance = copySorted(provenance);
    flags = flags == null ? List.of() : List.copyOf(new TreeSet<>(flags));
  }

  /** Minimal example for trainers calling the metrics with arrays: no slices, no provenance. */
  public static Example of(
      String id, String split, Collection<String> labels, Collection<String> scope) {
    return new Example(
        id,
        id,
        split,
        new TreeSet<>(labels),
        new TreeSet<>(scope),
        Map.of(),
        Map.of(),
        List.of(),
        false);
  }

  /** Whether this example says anything (positive or negative) about {@code category}. */
  public boolean inScope(String category) {
    return scope.contains(ALL) || scope.contains(category) || labels.contains(category);
  }

  public boolean positive(String category) {
    return labels.contains(category);
  }

  /** Values of one slice dimension (empty when the item has none). */
  public List<String> slice(String dimension) {
    return slices.getOrDefault(dimension, List.of());
  }

  /** A copy with one more slice value (used by slice assigners). */
  public Example withSlice(String dimension, String value) {
    Map<String, List<String>> copy = new TreeMap<>(slices);
    List<String> values = new ArrayList<>(copy.getOrDefault(dimension, List.of()));
    if (!values.contains(value)) {
      values.add(value);
    }
    copy.put(dimension, values);
    return new Example(id, input, split, labels, scope, copy, provenance, flags, background);
  }

  private static Set<String> sorted(Set<String> in) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(in == null ? Set.of() : in));
  }

  private static Map<String, List<String>> copySorted(Map<String, List<String>> in) {
    if (in == null || in.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(k, v == null ? List.of() : List.copyOf(new TreeSet<>(v))));
    return Collections.unmodifiableMap(out);
  }
}
