package dev.sieve.cli.support;

import dev.sieve.core.util.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's face of {@link Durations}: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, a bare
 * number of seconds, or ISO-8601, the same in every command.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** Parses a duration; throws {@link TypeConversionException} with an example on bad input. */
  public static Duration parse(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** Human form for messages: "850 ms", "2.5 s", "3 m 5 s". */
  public static String format(Duration duration) {
    return Durations.format(duration);
  }
}
