package dev.sieve.eval.cli;

import dev.sieve.core.util.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --deadline 5s} for the offline modules' commands, parsed by core's {@link Durations}
 * exactly like the cli's own commands (the cli's converter is not visible from here).
 */
public final class DeadlineConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
