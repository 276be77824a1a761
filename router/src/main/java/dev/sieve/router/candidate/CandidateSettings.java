package dev.sieve.router.candidate;

import dev.sieve.core.util.Settings;
import dev.sieve.router.tier.TierName;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A candidate version of one tier, deployed beside the serving one (#15 item 3), read from the
 * environment. A new model is watched on live traffic before it is trusted with it: in {@link
 * Mode#SHADOW} it scores a sample of the requests after the served answer has gone out and is only
 * compared, never served; in {@link Mode#CANARY} a stable share of tenants (or of requests) is
 * served by it, and the serving version is then the one compared off the served path.
 *
 * <p>Names (environment form; {@code -Dsieve.candidate.x} wins, see core {@link Settings}):
 *
 * <ul>
 *   <li>SIEVE_CANDIDATE_TIER ({@code url}, {@code content} or {@code llm}) and
 *       SIEVE_CANDIDATE_TARGET ({@code host:port} or {@code dns:///name:port}): both set = a
 *       candidate is deployed
 *   <li>SIEVE_CANDIDATE_MODE ({@code shadow}; {@code canary})
 *   <li>SIEVE_CANDIDATE_SAMPLE (0.1): share of the tier's answered requests that the other version
 *       also scores, off the served path, for comparison
 *   <li>SIEVE_CANDIDATE_SHARE (0.05) and SIEVE_CANDIDATE_UNIT ({@code tenant}; {@code request}):
 *       canary only, the share of tenants (stable hash of the tenant id, so a district sees one
 *       version consistently) or of requests served by the candidate
 *   <li>SIEVE_CANDIDATE_MAX_IN_FLIGHT (64): comparison calls in flight at most; more are dropped
 *       and counted, never queued, so the comparison cannot build up load or memory
 *   <li>SIEVE_CANDIDATE_LOG_FILE (unset = no file): the disagreement JSONL; every comparison with a
 *       decision flip or a score delta of at least SIEVE_CANDIDATE_LOG_DELTA (0.1) is written, and
 *       a SIEVE_CANDIDATE_LOG_AGREEMENTS (0.02) sample of the others, each line with the
 *       probability it had of being written so that a report can weight it back
 * </ul>
 */
public record CandidateSettings(
    TierName tier,
    String target,
    Mode mode,
    double sample,
    double share,
    Unit unit,
    int maxInFlight,
    Path logFile,
    double logDelta,
    double logAgreements) {

  /** How the candidate takes part in traffic. */
  public enum Mode {
    /** Scores a sample off the served path; never served. */
    SHADOW,
    /** Serves a share of tenants or requests; the serving version is compared off the path. */
    CANARY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the canary share is a share of. */
  public enum Unit {
    TENANT,
    REQUEST
  }

  public CandidateSettings {
    if (tier == null) {
      throw new IllegalArgumentException("candidate tier is required");
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(
          "SIEVE_CANDIDATE_TARGET is required with SIEVE_CANDIDATE_TIER");
    }
    probability("SIEVE_CANDIDATE_SAMPLE", sample);
    probability("SIEVE_CANDIDATE_SHARE", share);
    probability("SIEVE_CANDIDATE_LOG_AGREEMENTS", logAgreements);
    if (!(logDelta > 0 && logDelta <= 1)) {
      throw new IllegalArgumentException(
          "SIEVE_CANDIDATE_LOG_DELTA must be in (0, 1], got " + logDelta);
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException(
          "SIEVE_CANDIDATE_MAX_IN_FLIGHT must be positive, got " + maxInFlight);
    }
    mode = mode == null ? Mode.SHADOW : mode;
    unit = unit == null ? Unit.TENANT : unit;
    target = target.strip();
  }

  /** A shadow candidate with the defaults (tests, tools). */
  public static CandidateSettings shadow(
      TierName tier, String target, double sample, Path logFile) {
    return new CandidateSettings(
        tier, target, Mode.SHADOW, sample, 0, Unit.TENANT, 64, logFile, 0.1, 0.02);
  }

  /** A canary candidate with the defaults, comparing {@code sample} of the traffic. */
  public static CandidateSettings canary(
      TierName tier, String target, double share, Unit unit, double sample, Path logFile) {
    return new CandidateSettings(
        tier, target, Mode.CANARY, sample, share, unit, 64, logFile, 0.1, 0.02);
  }

  /**
   * The candidate of this deployment, or empty when SIEVE_CANDIDATE_TIER is unset.
   *
   * @throws IllegalArgumentException on an unknown tier or mode, or a value out of range (startup
   *     stops with the setting's name)
   */
  public static Optional<CandidateSettings> fromEnvironment() {
    Optional<String> tierName = Settings.get("SIEVE_CANDIDATE_TIER").filter(s -> !s.isBlank());
    if (tierName.isEmpty()) {
      return Optional.empty();
    }
    TierName tier = TierName.fromWire(tierName.get().strip().toLowerCase(Locale.ROOT));
    if (tier == null) {
      throw new IllegalArgumentException(
          "SIEVE_CANDIDATE_TIER must be url, content or llm, got '" + tierName.get() + "'");
    }
    return Optional.of(
        new CandidateSettings(
            tier,
            Settings.get("SIEVE_CANDIDATE_TARGET", ""),
            parse(Mode.class, "SIEVE_CANDIDATE_MODE", "shadow"),
            number("SIEVE_CANDIDATE_SAMPLE", 0.1),
            number("SIEVE_CANDIDATE_SHARE", 0.05),
            parse(Unit.class, "SIEVE_CANDIDATE_UNIT", "tenant"),
            Settings.getInt("SIEVE_CANDIDATE_MAX_IN_FLIGHT", 64),
            Settings.get("SIEVE_CANDIDATE_LOG_FILE")
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(null),
            number("SIEVE_CANDIDATE_LOG_DELTA", 0.1),
            number("SIEVE_CANDIDATE_LOG_AGREEMENTS", 0.02)));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, String fallback) {
    String value = Settings.get(name, fallback).strip().toUpperCase(Locale.ROOT);
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + ": unknown value '" + value.toLowerCase(Locale.ROOT) + "'");
    }
  }

  private static double number(String name, double fallback) {
    String value = Settings.get(name, Double.toString(fallback)).strip();
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: '" + value + "'");
    }
  }

  private static void probability(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
  }
}
