package dev.sieve.lab.data.texts;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A text record while it is being built: parsers fill it, the text builder de-duplicates, applies
 * overlays and assigns the split, then freezes it into a core {@code TextRecord}.
 */
public final class TextDraft {
  public String id;
  public String text;
  public final TreeSet<String> labels = new TreeSet<>();
  public final TreeSet<String> labelScope = new TreeSet<>();
  public String source;
  public String kind;

  /** Grouping key of the split; null = hash of the de-duplication key. */
  public String group;

  /** Whether {@link #group} is a registered domain (same split function as the domain files). */
  public final TreeMap<String, String> meta = new TreeMap<>();

  public String dedupKey;

  /** Raw file and line the record came from (for the build report). */
  public String file;

  public long line;

  /** Input order (file order), the tie-breaker of every de-duplication rule. */
  public long order;

  /** Davidson votes, for vote-summing de-duplication: hate, offensive, neither. */
  public int[] votes;

  public final List<String> flags = new ArrayList<>();

  public TextDraft(String id, String source, String kind, String text) {
    this.id = id;
    this.source = source;
    this.kind = kind;
    this.text = text;
  }
}
