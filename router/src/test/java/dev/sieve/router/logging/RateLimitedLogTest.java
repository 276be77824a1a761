package dev.sieve.router.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.router.support.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  @Test
  void oneLinePerKeyPerIntervalAndTheNextLineCountsWhatWasHeldBack() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log =
        new RateLimitedLog(
            LoggerFactory.getLogger(RateLimitedLogTest.class), Duration.ofSeconds(10), now::get);
    try (LogCapture capture = new LogCapture(RateLimitedLogTest.class)) {
      assertThat(log.warn("content/down", "tier {}: down", "content")).isTrue();
      assertThat(log.warn("content/down", "tier {}: down", "content")).isFalse();
      assertThat(log.warn("content/down", "tier {}: down", "content")).isFalse();
      assertThat(log.warn("url/down", "tier {}: down", "url"))
          .as("another key has its own limit")
          .isTrue();
      now.addAndGet(Duration.ofSeconds(9).toNanos());
      assertThat(log.warn("content/down", "tier {}: down", "content")).isFalse();
      now.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(log.info("content/down", "tier {}: down", "content")).isTrue();
      assertThat(capture.lines())
          .containsExactly(
              "WARN tier content: down",
              "WARN tier url: down",
              "INFO tier content: down (3 similar since the last such line)");
    }
  }
}
