package dev.sieve.llm.input;

import java.util.Locale;

/**
 * What the tier actually scored. Kept explicit because the two are very different signals: a page's
 * text versus a few words rendered from a URL; calibrations are fitted per kind and evidence says
 * which one answered.
 */
public enum InputKind {
  /** Page text (from the request's html or text). */
  TEXT,
  /** Only a URL was given: its host labels and path tokens rendered as words (a weak signal). */
  URL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
