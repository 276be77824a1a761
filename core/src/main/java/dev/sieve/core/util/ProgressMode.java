package dev.sieve.core.util;

import java.util.Locale;

/**
 * How a long offline step shows its progress on stderr: a redrawn bar on a terminal, a plain line
 * now and then in a log (CI), or nothing.
 *
 * <p>Why one parse: the dataset build and {@code classify-batch} both draw progress, and both must
 * read {@code SIEVE_PROGRESS} the same way. The {@code ./sieve} script sets it to {@code tty} when
 * stderr is a terminal, because the JVM can only see whether stdin and stdout are ({@link
 * System#console()}), which is the fallback when it is unset.
 */
public enum ProgressMode {
  TTY,
  PLAIN,
  OFF;

  /**
   * {@code SIEVE_PROGRESS} ({@code -Dsieve.progress}): {@code tty}, {@code plain}, or {@code off}
   * ({@code none}, {@code false}); unset or anything else: {@code tty} when the JVM has a console,
   * else {@code plain}.
   */
  public static ProgressMode fromSettings() {
    String value = Settings.get("SIEVE_PROGRESS", "").strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "tty" -> TTY;
      case "plain" -> PLAIN;
      case "off", "none", "false" -> OFF;
      default -> System.console() != null ? TTY : PLAIN;
    };
  }
}
