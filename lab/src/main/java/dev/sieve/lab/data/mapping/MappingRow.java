package dev.sieve.lab.data.mapping;

import java.util.List;
import java.util.Locale;

/**
 * One row of the label-mapping table: what a source's own category means in taxonomy v1.
 *
 * <p>A row exists for every category a source has, even the ones Sieve does not use, so that "not
 * mapped" is always a decision with a reason and never an oversight (the coverage test enforces
 * it).
 *
 * @param source source id ("ut1", "shadowwhisperer", "safety/xstest", ...)
 * @param category the source's own category name, exactly as the source spells it
 * @param action what the pipeline does with records of this category
 * @param taxonomy taxonomy ids (positive for MAP and KEYWORD_RULES, negative for NEGATIVE)
 * @param flags flags added to every record of the category
 * @param reason why, in one sentence (shown in the data card)
 * @param line line of the mapping file (for error messages)
 */
public record MappingRow(
    String source,
    String category,
    Action action,
    List<String> taxonomy,
    List<String> flags,
    String reason,
    int line) {

  public MappingRow {
    taxonomy = List.copyOf(taxonomy);
    flags = List.copyOf(flags);
  }

  /** The "source/category" id used in record provenance, e.g. "ut1/gambling". */
  public String sourceId() {
    return source + "/" + category;
  }

  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }

  /** What a mapping row makes the pipeline do. */
  public enum Action {
    /** Positive for the listed taxonomy ids. */
    MAP,
    /** A (weak) negative for the listed taxonomy ids (texts whose source labels are exclusive). */
    NEGATIVE,
    /**
     * Kept with provenance and a "source:" flag, no taxonomy label (emerging categories, slices).
     */
    SOURCE_LABEL,
    /** Read as a reference set for noise rules only; produces no records. */
    REFERENCE,
    /** Not used and not imported. */
    IGNORE,
    /** Records dropped on purpose and counted (e.g. child sexual exploitation prompts). */
    EXCLUDE,
    /** Taxonomy ids chosen per record by documented keyword rules; flagged keyword_derived. */
    KEYWORD_RULES,
    /**
     * Ordinary text: label scope {@code ["*"]}, a weak negative for every category the record is
     * not labelled with. The text counterpart of the background domains and the denominator of
     * every text false-flag rate (ordinary text is what over-blocking is measured on).
     */
    BACKGROUND;

    static Action parse(String s) {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    }

    /** Whether records of this category are ingested at all. */
    public boolean ingested() {
      return this != IGNORE;
    }
  }
}
