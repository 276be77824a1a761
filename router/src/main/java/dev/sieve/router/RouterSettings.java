package dev.sieve.router;

import dev.sieve.core.limit.ConcurrencyLimitSettings;
import dev.sieve.core.util.Settings;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything the router reads from its environment, in one place with its defaults, so that the
 * operations doc, the Helm chart and the code cannot disagree about a name.
 *
 * <p>Names (environment form; the {@code -Dsieve.x.y} system property wins, see core {@link
 * Settings}):
 *
 * <ul>
 *   <li>SIEVE_GRPC_PORT (50051), SIEVE_BIND_HOST (127.0.0.1)
 *   <li>SIEVE_URL_TIER_TARGET, SIEVE_CONTENT_TIER_TARGET, SIEVE_LLM_TIER_TARGET: host:port or
 *       dns:///name:port; unset or empty = the tier is NOT_DEPLOYED
 *   <li>SIEVE_POLICY_FILE (embedded default-policy.yaml), SIEVE_POLICY_RELOAD_SECONDS (5)
 *   <li>SIEVE_MAX_BODY_BYTES (2 MiB); gRPC's own inbound limit is this + 64 KiB
 *   <li>SIEVE_DEADLINE_MARGIN_MS (5): kept back from the caller's deadline to merge and answer
 *   <li>SIEVE_{URL,CONTENT,LLM}_TIER_TIMEOUT_MS (100, 2000, 3000),
 *       SIEVE_{URL,CONTENT,LLM}_TIER_MAX_CONCURRENT (2048, 512, 64)
 *   <li>SIEVE_BREAKER_WINDOW, SIEVE_BREAKER_MIN_CALLS, SIEVE_BREAKER_FAILURE_RATE,
 *       SIEVE_BREAKER_OPEN_MS, SIEVE_BREAKER_HALF_OPEN_CALLS: override the per-tier breaker
 *       defaults for every tier
 *   <li>SIEVE_{URL,CONTENT,LLM}_TIER_LIMIT (aimd; gradient2, fixed, off) with _INITIAL, _MIN, _MAX,
 *       _TIMEOUT_MS: the adaptive concurrency limit on calls to the tier (defaults: url 256 in
 *       16..2048, content 64 in 8..512, llm 16 in 2..64; timeout = the tier's timeout)
 *   <li>SIEVE_CACHE_MAX_BYTES (256 MiB; 0 disables the verdict cache)
 *   <li>SIEVE_MAX_IN_FLIGHT (4096), SIEVE_STREAM_WINDOW (32)
 *   <li>SIEVE_DESCRIBE_REFRESH_SECONDS (30), SIEVE_DRAIN_TIMEOUT_SECONDS (20)
 *   <li>transport security and client authentication: core's {@code TlsSettings} (SIEVE_TLS*,
 *       SIEVE_TIER_TLS_*) and {@code RouterSecurity} (SIEVE_CLIENT_AUTH*)
 *   <li>the feedback loop (ReportVerdict, tenant host overrides): {@code FeedbackSettings}
 *       (SIEVE_FEEDBACK_*, SIEVE_OVERRIDES_FILE, SIEVE_RECENT_VERDICTS*; docs/annotation.md)
 * </ul>
 */
public record RouterSettings(
    int grpcPort,
    String bindHost,
    Map<TierName, String> tierTargets,
    Path policyFile,
    Duration policyReload,
    int maxBodyBytes,
    Duration deadlineMargin,
    Map<TierName, ResilienceSettings> resilience,
    long cacheMaxBytes,
    int maxInFlight,
    int streamWindow,
    Duration describeRefresh,
    Duration drainTimeout) {

  public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

  /** Headroom over the body limit for the rest of the message (URL, tenant, ids, framing). */
  public static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

  /** Reads every setting; a malformed number fails with the setting's name. */
  public static RouterSettings fromEnvironment() {
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    Map<TierName, ResilienceSettings> resilience = new EnumMap<>(TierName.class);
    for (TierName tier : TierName.all()) {
      String prefix = "SIEVE_" + tier.name() + "_TIER_";
      Settings.get(prefix + "TARGET").ifPresent(target -> targets.put(tier, target));
      ResilienceSettings defaults = ResilienceSettings.defaults(tier);
      Duration timeout =
          Duration.ofMillis(Settings.getLong(prefix + "TIMEOUT_MS", defaults.timeout().toMillis()));
      ConcurrencyLimitSettings limitDefaults = defaults.concurrencyLimit();
      ConcurrencyLimitSettings limit =
          ConcurrencyLimitSettings.fromEnvironment(
              prefix + "LIMIT",
              new ConcurrencyLimitSettings(
                  limitDefaults.algorithm(),
                  limitDefaults.initialLimit(),
                  limitDefaults.minLimit(),
                  limitDefaults.maxLimit(),
                  timeout.isZero() || timeout.isNegative()
                      ? limitDefaults.aimdTimeout()
                      : timeout));
      resilience.put(
          tier,
          defaults
              .withTimeout(timeout)
              .withConcurrencyLimit(limit)
              .withMaxConcurrentCalls(
                  positive(prefix + "MAX_CONCURRENT", defaults.maxConcurrentCalls()))
              .withBreaker(
                  positive("SIEVE_BREAKER_WINDOW", defaults.slidingWindowSize()),
                  positive("SIEVE_BREAKER_MIN_CALLS", defaults.minimumNumberOfCalls()),
                  Settings.getInt(
                      "SIEVE_BREAKER_FAILURE_RATE", (int) defaults.failureRateThreshold()),
                  Duration.ofMillis(
                      Settings.getLong(
                          "SIEVE_BREAKER_OPEN_MS", defaults.waitInOpenState().toMillis())),
                  positive("SIEVE_BREAKER_HALF_OPEN_CALLS", defaults.permittedCallsInHalfOpen())));
    }
    int maxBody = positive("SIEVE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES);
    if (maxBody > Integer.MAX_VALUE - MESSAGE_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("SIEVE_MAX_BODY_BYTES is too large: " + maxBody);
    }
    return new RouterSettings(
        Settings.getInt("SIEVE_GRPC_PORT", 50051),
        Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
        targets,
        Settings.get("SIEVE_POLICY_FILE").map(Path::of).orElse(null),
        Duration.ofSeconds(positive("SIEVE_POLICY_RELOAD_SECONDS", 5)),
        maxBody,
        Duration.ofMillis(Settings.getLong("SIEVE_DEADLINE_MARGIN_MS", 5)),
        resilience,
        Settings.getLong("SIEVE_CACHE_MAX_BYTES", 256L * 1024 * 1024),
        positive("SIEVE_MAX_IN_FLIGHT", 4096),
        positive("SIEVE_STREAM_WINDOW", 32),
        Duration.ofSeconds(positive("SIEVE_DESCRIBE_REFRESH_SECONDS", 30)),
        Duration.ofSeconds(positive("SIEVE_DRAIN_TIMEOUT_SECONDS", 20)));
  }

  /**
   * The server's inbound message limit: bigger messages get RESOURCE_EXHAUSTED from gRPC, unparsed.
   */
  public int maxInboundMessageBytes() {
    return maxBodyBytes + MESSAGE_OVERHEAD_BYTES;
  }

  private static int positive(String name, int defaultValue) {
    int value = Settings.getInt(name, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
