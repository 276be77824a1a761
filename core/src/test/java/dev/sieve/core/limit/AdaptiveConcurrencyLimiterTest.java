package dev.sieve.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netflix.concurrency.limits.Limiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter as configured here (algorithms, bounds, metrics), driven by a fake nano clock so that
 * round-trip times are exact and no test depends on the machine's speed.
 */
class AdaptiveConcurrencyLimiterTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @AfterEach
  void clearProperties() {
    for (String key :
        List.of(
            "sieve.test.limit",
            "sieve.test.limit.initial",
            "sieve.test.limit.min",
            "sieve.test.limit.max",
            "sieve.test.limit.timeout.ms")) {
      System.clearProperty(key);
    }
  }

  /** Takes as many permits as the limit allows, lets {@code rtt} pass, then settles all of them. */
  private void round(AdaptiveConcurrencyLimiter limiter, Duration rtt, boolean drop) {
    List<Limiter.Listener> permits = new ArrayList<>();
    Optional<Limiter.Listener> permit;
    while ((permit = limiter.tryAcquire()).isPresent()) {
      permits.add(permit.get());
    }
    nanos.addAndGet(rtt.toNanos());
    for (Limiter.Listener p : permits) {
      if (drop) {
        p.onDropped();
      } else {
        p.onSuccess();
      }
    }
  }

  @Test
  void fixedLimitRefusesTheCallOverItAndCountsIt() {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter("t", ConcurrencyLimitSettings.fixed(2), nanos::get);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    limiter.bindMetrics(registry, "server");
    Limiter.Listener a = limiter.tryAcquire().orElseThrow();
    Limiter.Listener b = limiter.tryAcquire().orElseThrow();
    assertThat(limiter.tryAcquire()).isEmpty();
    assertThat(limiter.inFlight()).isEqualTo(2);
    assertThat(
            registry
                .get("sieve.concurrency.limit.rejected")
                .tag("name", "t")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("sieve.concurrency.limit").tag("side", "server").gauge().value())
        .isEqualTo(2);
    assertThat(registry.get("sieve.concurrency.limit.in.flight").gauge().value()).isEqualTo(2);
    a.onSuccess();
    b.onIgnore();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.tryAcquire()).isPresent();
  }

  /**
   * Gradient2 reacts to a change of latency, not to its level: a sudden rise cuts the limit at once
   * (queueing), and a latency that stays high becomes the new baseline, so the limit regrows.
   */
  @Test
  void gradientCutsTheLimitWhenLatencyJumpsAndRegrowsWhenItSettles() {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter(
            "content-service", ConcurrencyLimitSettings.gradient2(40, 8, 200), nanos::get);
    for (int i = 0; i < 20; i++) {
      round(limiter, Duration.ofMillis(10), false);
    }
    int afterFast = limiter.limit();
    assertThat(afterFast).isGreaterThan(40).isLessThanOrEqualTo(200);
    round(limiter, Duration.ofMillis(200), false);
    int afterJump = limiter.limit();
    assertThat(afterJump).isLessThan(afterFast / 2).isGreaterThanOrEqualTo(8);
    for (int i = 0; i < 30; i++) {
      round(limiter, Duration.ofMillis(200), false);
    }
    assertThat(limiter.limit()).isGreaterThan(afterJump).isLessThanOrEqualTo(200);
  }

  @Test
  void aimdBacksOffOnDropsDownToItsMinimumAndClimbsOnSuccess() {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter(
            "tier-content",
            ConcurrencyLimitSettings.aimd(100, 4, 400, Duration.ofMillis(500)),
            nanos::get);
    limiter.tryAcquire().orElseThrow().onDropped();
    assertThat(limiter.limit()).isEqualTo(90);
    for (int i = 0; i < 100; i++) {
      limiter.tryAcquire().orElseThrow().onDropped();
    }
    assertThat(limiter.limit()).isEqualTo(4);
    round(limiter, Duration.ofMillis(20), false);
    assertThat(limiter.limit()).isGreaterThan(4);
    // Slower than the timeout counts as a drop even when it succeeded.
    int before = limiter.limit();
    round(limiter, Duration.ofMillis(600), false);
    assertThat(limiter.limit()).isLessThan(before);
  }

  @Test
  void settingsComeFromTheEnvironmentWithTheirNamesInErrors() {
    ConcurrencyLimitSettings defaults = ConcurrencyLimitSettings.gradient2(20, 16, 128);
    assertThat(ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults))
        .isEqualTo(defaults);

    System.setProperty("sieve.test.limit", "AIMD");
    System.setProperty("sieve.test.limit.initial", "50");
    System.setProperty("sieve.test.limit.timeout.ms", "250");
    ConcurrencyLimitSettings aimd =
        ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults);
    assertThat(aimd).isEqualTo(ConcurrencyLimitSettings.aimd(50, 16, 128, Duration.ofMillis(250)));

    System.setProperty("sieve.test.limit", "fixed");
    System.setProperty("sieve.test.limit.initial", "7");
    System.clearProperty("sieve.test.limit.timeout.ms");
    assertThat(ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults).toString())
        .isEqualTo("fixed 7");

    System.setProperty("sieve.test.limit", "off");
    assertThat(ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults).enabled())
        .isFalse();

    System.setProperty("sieve.test.limit", "vegass");
    assertThatThrownBy(() -> ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults))
        .hasMessageContaining("SIEVE_TEST_LIMIT: unknown concurrency limit 'vegass'");

    System.setProperty("sieve.test.limit", "gradient2");
    System.setProperty("sieve.test.limit.initial", "20");
    System.setProperty("sieve.test.limit.min", "30");
    assertThatThrownBy(() -> ConcurrencyLimitSettings.fromEnvironment("SIEVE_TEST_LIMIT", defaults))
        .hasMessageStartingWith("SIEVE_TEST_LIMIT_*: ")
        .hasMessageContaining("min 30, initial 20");
  }

  @Test
  void anOffLimitIsNotALimiter() {
    ConcurrencyLimitSettings off =
        new ConcurrencyLimitSettings(
            ConcurrencyLimitSettings.Algorithm.OFF, 1, 1, 1, Duration.ofSeconds(1));
    assertThatThrownBy(() -> new AdaptiveConcurrencyLimiter("x", off)).hasMessageContaining("off");
  }
}
