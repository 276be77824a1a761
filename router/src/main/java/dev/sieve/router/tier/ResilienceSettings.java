package dev.sieve.router.tier;

import dev.sieve.core.limit.ConcurrencyLimitSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * Per-tier resilience configuration: how long a call may take, how many may run at once (bulkhead)
 * and when the circuit breaker opens.
 *
 * <p>Defaults are sized for the url tier's microsecond latencies and a content tier in the tens of
 * milliseconds per short text and hundreds per real page: a count-based window of 100 calls,
 * opening at 50% failures after at least 20 calls, staying open 5 s, then letting 5 trial calls
 * through (half-open) before closing again.
 *
 * @param timeout per-tier cap on a call (the caller's deadline minus the margin may be shorter)
 * @param maxConcurrentCalls bulkhead size; a call beyond it is REJECTED without waiting
 * @param slidingWindowSize calls in the breaker's count-based window
 * @param minimumNumberOfCalls calls before the failure rate is evaluated
 * @param failureRateThreshold failure percentage that opens the breaker
 * @param waitInOpenState how long the breaker stays open before half-open trial calls
 * @param permittedCallsInHalfOpen trial calls in half-open state
 * @param clock clock for the breaker's open-state wait (a fixed clock in tests)
 * @param concurrencyLimit the router's adaptive limit on calls in flight to the tier (AIMD by
 *     default: a call that times out shrinks it by 10 %, answers while it is half used grow it by
 *     one, the tier's sheds leave it alone; within the bulkhead, which stays the hard cap); OFF
 *     installs none
 */
public record ResilienceSettings(
    Duration timeout,
    int maxConcurrentCalls,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    float failureRateThreshold,
    Duration waitInOpenState,
    int permittedCallsInHalfOpen,
    Clock clock,
    ConcurrencyLimitSettings concurrencyLimit) {

  /**
   * Defaults for {@code tier} (timeouts: url 100 ms, content 2 s, llm 3 s). The content tier's cap
   * covers one real page on the 2-core machines Sieve is measured on (a 100 KB article is 11-16
   * chunks, ~300-450 ms of int8 encoder time when the machine is quiet, several times that under
   * load); at 500 ms a batch of real pages timed out, opened the breaker and was answered by {@code
   * on_tier_loss} instead of the model. A caller that needs less sets its own deadline.
   */
  public static ResilienceSettings defaults(TierName tier) {
    return switch (tier) {
      case URL ->
          new ResilienceSettings(
              Duration.ofMillis(100),
              2048,
              100,
              20,
              50f,
              Duration.ofSeconds(5),
              5,
              Clock.systemUTC(),
              ConcurrencyLimitSettings.aimd(256, 16, 2048, Duration.ofMillis(100)));
      case CONTENT ->
          new ResilienceSettings(
              Duration.ofMillis(2000),
              512,
              100,
              20,
              50f,
              Duration.ofSeconds(5),
              5,
              Clock.systemUTC(),
              ConcurrencyLimitSettings.aimd(64, 8, 512, Duration.ofMillis(2000)));
      case LLM ->
          new ResilienceSettings(
              Duration.ofSeconds(3),
              64,
              50,
              10,
              50f,
              Duration.ofSeconds(10),
              3,
              Clock.systemUTC(),
              ConcurrencyLimitSettings.aimd(16, 2, 64, Duration.ofSeconds(3)));
    };
  }

  public ResilienceSettings withTimeout(Duration value) {
    return new ResilienceSettings(
        value,
        maxConcurrentCalls,
        slidingWindowSize,
        minimumNumberOfCalls,
        failureRateThreshold,
        waitInOpenState,
        permittedCallsInHalfOpen,
        clock,
        concurrencyLimit);
  }

  public ResilienceSettings withMaxConcurrentCalls(int value) {
    return new ResilienceSettings(
        timeout,
        value,
        slidingWindowSize,
        minimumNumberOfCalls,
        failureRateThreshold,
        waitInOpenState,
        permittedCallsInHalfOpen,
        clock,
        concurrencyLimit);
  }

  public ResilienceSettings withBreaker(
      int window, int minimumCalls, float failureRate, Duration openWait, int halfOpenCalls) {
    return new ResilienceSettings(
        timeout,
        maxConcurrentCalls,
        window,
        minimumCalls,
        failureRate,
        openWait,
        halfOpenCalls,
        clock,
        concurrencyLimit);
  }

  public ResilienceSettings withClock(Clock value) {
    return new ResilienceSettings(
        timeout,
        maxConcurrentCalls,
        slidingWindowSize,
        minimumNumberOfCalls,
        failureRateThreshold,
        waitInOpenState,
        permittedCallsInHalfOpen,
        value,
        concurrencyLimit);
  }

  public ResilienceSettings withConcurrencyLimit(ConcurrencyLimitSettings value) {
    return new ResilienceSettings(
        timeout,
        maxConcurrentCalls,
        slidingWindowSize,
        minimumNumberOfCalls,
        failureRateThreshold,
        waitInOpenState,
        permittedCallsInHalfOpen,
        clock,
        value);
  }
}
