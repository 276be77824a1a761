package dev.sieve.core.limit;

import dev.sieve.core.util.Settings;
import java.time.Duration;
import java.util.Locale;

/**
 * How one adaptive concurrency limit is configured, read from the environment under a prefix.
 *
 * <p>Names (environment form; {@code -Dsieve.x.y} wins, see {@link Settings}), for a prefix such as
 * {@code SIEVE_CONCURRENCY_LIMIT} (tiers) or {@code SIEVE_CONTENT_TIER_LIMIT} (router, per tier):
 *
 * <ul>
 *   <li>{@code <prefix>}: the algorithm, {@code gradient2}, {@code aimd}, {@code fixed} or {@code
 *       off}
 *   <li>{@code <prefix>_INITIAL}, {@code <prefix>_MIN}, {@code <prefix>_MAX}: calls in flight at
 *       start, and the bounds the algorithm moves between ({@code fixed} uses {@code _INITIAL}
 *       only)
 *   <li>{@code <prefix>_TIMEOUT_MS} ({@code aimd} only): a call slower than this counts as a drop
 * </ul>
 *
 * @param algorithm how the limit moves
 * @param initialLimit the limit before the first sample
 * @param minLimit the limit never goes below this (keeps enough in flight to fill a batch)
 * @param maxLimit the limit never goes above this (an outer bulkhead may be smaller)
 * @param aimdTimeout for AIMD: an answer slower than this is treated like a drop
 */
public record ConcurrencyLimitSettings(
    Algorithm algorithm, int initialLimit, int minLimit, int maxLimit, Duration aimdTimeout) {

  /** The limit algorithms offered (all from Netflix concurrency-limits). */
  public enum Algorithm {
    /**
     * Netflix's Gradient2: compares a short-term RTT with a long-term (exponentially smoothed) RTT
     * and shrinks the limit by their ratio when latency rises (queueing), grows it by a small queue
     * allowance when it does not. Uses successful calls' latency only. The default for servers.
     */
    GRADIENT2,
    /**
     * Additive increase, multiplicative decrease: +1 after a success while at least half the limit
     * is in use, ×0.9 after a drop (the call timed out, or answered slower than the timeout). The
     * default for the router's tier clients.
     */
    AIMD,
    /** A constant limit (initialLimit): a plain concurrency cap. */
    FIXED,
    /** No limit: the interceptor is not installed. */
    OFF;

    static Algorithm parse(String name, String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name
                + ": unknown concurrency limit '"
                + value
                + "'; expected gradient2, aimd, fixed or off",
            e);
      }
    }
  }

  public ConcurrencyLimitSettings {
    if (minLimit < 1 || maxLimit < minLimit || initialLimit < minLimit || initialLimit > maxLimit) {
      throw new IllegalArgumentException(
          "concurrency limit bounds must satisfy 1 <= min <= initial <= max, got min "
              + minLimit
              + ", initial "
              + initialLimit
              + ", max "
              + maxLimit);
    }
    if (aimdTimeout == null || aimdTimeout.isNegative() || aimdTimeout.isZero()) {
      throw new IllegalArgumentException(
          "concurrency limit timeout must be positive, got " + aimdTimeout);
    }
  }

  public static ConcurrencyLimitSettings gradient2(int initial, int min, int max) {
    return new ConcurrencyLimitSettings(
        Algorithm.GRADIENT2, initial, min, max, Duration.ofSeconds(5));
  }

  public static ConcurrencyLimitSettings aimd(int initial, int min, int max, Duration timeout) {
    return new ConcurrencyLimitSettings(Algorithm.AIMD, initial, min, max, timeout);
  }

  public static ConcurrencyLimitSettings fixed(int limit) {
    return new ConcurrencyLimitSettings(
        Algorithm.FIXED, limit, limit, limit, Duration.ofSeconds(5));
  }

  public boolean enabled() {
    return algorithm != Algorithm.OFF;
  }

  /**
   * {@code defaults} overridden by whatever is set under {@code prefix}; a malformed or
   * inconsistent value fails with the setting's name.
   */
  public static ConcurrencyLimitSettings fromEnvironment(
      String prefix, ConcurrencyLimitSettings defaults) {
    Algorithm algorithm =
        Settings.get(prefix).map(v -> Algorithm.parse(prefix, v)).orElse(defaults.algorithm());
    int initial = Settings.getInt(prefix + "_INITIAL", defaults.initialLimit());
    int min =
        Settings.getInt(
            prefix + "_MIN",
            algorithm == Algorithm.FIXED ? initial : Math.min(defaults.minLimit(), initial));
    int max =
        Settings.getInt(
            prefix + "_MAX",
            algorithm == Algorithm.FIXED ? initial : Math.max(defaults.maxLimit(), initial));
    long timeoutMs = Settings.getLong(prefix + "_TIMEOUT_MS", defaults.aimdTimeout().toMillis());
    try {
      return new ConcurrencyLimitSettings(
          algorithm, initial, min, max, Duration.ofMillis(timeoutMs));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "_*: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return switch (algorithm) {
      case OFF -> "off";
      case FIXED -> "fixed " + initialLimit;
      case GRADIENT2 -> "gradient2 " + initialLimit + " (" + minLimit + ".." + maxLimit + ")";
      case AIMD ->
          "aimd "
              + initialLimit
              + " ("
              + minLimit
              + ".."
              + maxLimit
              + ", timeout "
              + aimdTimeout.toMillis()
              + " ms)";
    };
  }
}
