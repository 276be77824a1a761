package dev.sieve.lab.data.texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the text step measured: exclusions, duplicates, conflicts, agreement. Goes into the card.
 */
public final class TextStats {
  /** "source:reason" to number of records excluded on purpose (e.g. child sexual exploitation). */
  public final Map<String, Long> excluded = new TreeMap<>();

  /** Source to rows read. */
  public final Map<String, Long> rowsRead = new TreeMap<>();

  /** Source to exact duplicates removed (same cleaned text). */
  public final Map<String, Long> exactDuplicates = new TreeMap<>();

  /** Source to near-exact duplicates removed (same de-duplication key, different text). */
  public final Map<String, Long> nearDuplicates = new TreeMap<>();

  /** Source to duplicate groups whose members disagreed on labels. */
  public final Map<String, Long> labelConflicts = new TreeMap<>();

  /** Texts whose de-duplication key occurs in more than one source (kept in each; same split). */
  public long crossSourceDuplicates;

  /**
   * Source to records whose text the source itself had cut off (C-SSRS: 32,759-character cells).
   */
  public final Map<String, Long> truncatedInSource = new TreeMap<>();

  public final Map<String, Long> emptyAfterCleaning = new TreeMap<>();
  public final Map<String, Long> overlayApplied = new TreeMap<>();

  /** Annotator agreement per source (Davidson). */
  public final Map<String, Agreement> agreement = new TreeMap<>();

  /** Fleiss' kappa summary for the card. */
  public static final class Agreement {
    public String method;
    public int items;
    public double kappa;
    public double observed;
    public double expected;
    public final Map<String, Double> perClass = new TreeMap<>();
    public final Map<String, Long> ratersPerItem = new TreeMap<>();
    public final List<String> notes = new ArrayList<>();
  }

  public void add(Map<String, Long> map, String key, long n) {
    map.merge(key, n, Long::sum);
  }
}
