package dev.sieve.core.util;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations people type on a command line ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h},
 * a bare number of seconds) as well as ISO-8601 ({@code PT10S}), parsed in one place so every
 * command's {@code --deadline} reads the same way (picocli's built-in converter only knows
 * ISO-8601, which nobody types).
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /** Parses a duration; {@link IllegalArgumentException} with examples on bad input. */
  public static Duration parse(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = SIMPLE.matcher(text);
    if (matcher.matches()) {
      double amount = Double.parseDouble(matcher.group(1));
      String unit = matcher.group(2) == null ? "s" : matcher.group(2);
      double millis =
          switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> throw new IllegalStateException(unit);
          };
      return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
    try {
      return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration (examples: 500ms, 10s, 2m, 1h, PT10S)");
    }
  }

  /** Human form for messages: "850 ms", "2.5 s", "3 m 5 s". */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return (millis / 60_000) + " m " + ((millis % 60_000) / 1000) + " s";
  }
}
