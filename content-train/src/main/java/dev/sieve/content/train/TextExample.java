package dev.sieve.content.train;

import dev.sieve.core.data.TextRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One dataset text as the trainer and the evaluation see it.
 *
 * @param id record id
 * @param text the text as stored in the dataset (extraction and chunking are applied later, by the
 *     serving code)
 * @param kind register: tweet, post, prompt, site_description
 * @param source source id (davidson, cssrs, curlie, safety/xstest, ...)
 * @param split train, dev or test
 * @param labels positive taxonomy ids
 * @param scope ids the labels are complete for ("*" = all)
 * @param flags record flags from the dataset meta (e.g. hard_negative, keyword_derived)
 * @param subclass the source's own class for slicing ("offensive" for a Davidson tweet,
 *     "Supportive" for a C-SSRS post, the AILuminate hazard, the XSTest type), "" when none
 */
public record TextExample(
    String id,
    String text,
    String kind,
    String source,
    String split,
    Set<String> labels,
    Set<String> scope,
    List<String> flags,
    String subclass) {

  /** Meta keys that carry a source's own class, in order of preference. */
  static final List<String> SUBCLASS_KEYS =
      List.of(
          "cssrs_level",
          "davidson_class",
          "hazard",
          "xstest_type",
          "sst_category",
          "rtp_attribute");

  public TextExample {
    labels = Set.copyOf(new TreeSet<>(labels));
    scope = Set.copyOf(new TreeSet<>(scope));
    flags = List.copyOf(flags);
    subclass = subclass == null ? "" : subclass;
  }

  public static TextExample of(TextRecord record) {
    Map<String, String> meta = record.meta();
    String flagText = meta.getOrDefault("flags", "");
    List<String> flags = flagText.isBlank() ? List.of() : List.of(flagText.split("[,;\\s]+"));
    return new TextExample(
        record.id(),
        record.text() == null ? "" : record.text(),
        record.kind() == null ? "unknown" : record.kind(),
        record.source() == null ? "unknown" : record.source(),
        record.split() == null ? "train" : record.split(),
        Set.copyOf(record.labels()),
        Set.copyOf(record.labelScope()),
        flags,
        SUBCLASS_KEYS.stream()
            .map(meta::get)
            .filter(v -> v != null && !v.isBlank())
            .findFirst()
            .orElse(""));
  }

  /** Whether the labels say anything (positive or negative) about {@code category}. */
  public boolean inScope(String category) {
    return scope.contains("*") || scope.contains(category) || labels.contains(category);
  }

  public boolean positive(String category) {
    return labels.contains(category);
  }
}
