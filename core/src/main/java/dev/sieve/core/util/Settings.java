package dev.sieve.core.util;

import java.util.Locale;
import java.util.Optional;

/**
 * Configuration lookup shared by every process: a JVM system property wins over an environment
 * variable, which wins over the default. Kubernetes sets environment variables; tests and the
 * {@code ./sieve} launcher set system properties; neither needs a config file to start.
 *
 * <p>Names are given in environment form ({@code SIEVE_GRPC_PORT}); the system property is the
 * lower-case dotted form ({@code sieve.grpc.port}).
 */
public final class Settings {

  private Settings() {}

  public static Optional<String> get(String envName) {
    String property = System.getProperty(envName.toLowerCase(Locale.ROOT).replace('_', '.'));
    if (property != null && !property.isBlank()) {
      return Optional.of(property.strip());
    }
    String env = System.getenv(envName);
    if (env != null && !env.isBlank()) {
      return Optional.of(env.strip());
    }
    return Optional.empty();
  }

  public static String get(String envName, String defaultValue) {
    return get(envName).orElse(defaultValue);
  }

  /**
   * An integer setting.
   *
   * @throws IllegalArgumentException naming the setting when the value is not an integer
   */
  public static int getInt(String envName, int defaultValue) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          envName + " must be an integer, got '" + value.get() + "'", e);
    }
  }

  public static long getLong(String envName, long defaultValue) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          envName + " must be an integer, got '" + value.get() + "'", e);
    }
  }
}
