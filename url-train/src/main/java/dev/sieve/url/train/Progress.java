package dev.sieve.url.train;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Training progress on stderr (stdout stays free for the command's result). */
public final class Progress {

  private Progress() {}

  public static void log(String format, Object... args) {
    System.err.println(
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
            + " train-url: "
            + String.format(Locale.ROOT, format, args));
  }
}
