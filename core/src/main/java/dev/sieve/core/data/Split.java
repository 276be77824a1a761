package dev.sieve.core.data;

import java.util.Locale;

/**
 * Dataset split. Assigned by hash of the grouping key (registered domain, author), never by row, so
 * a site or an author never appears on both sides of an evaluation.
 */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Split parse(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
