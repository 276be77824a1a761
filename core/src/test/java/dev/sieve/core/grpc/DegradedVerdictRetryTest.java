package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DegradedVerdictRetryTest {

  @Test
  void theWaitsGrowAndTogetherOutlastTheRoutersLongestBreakerOpenWait() {
    long[] waits = DegradedVerdictRetry.backoffMillis();
    assertThat(waits).hasSize(DegradedVerdictRetry.attempts()).isSorted();
    // The router's breakers stay open 5 s (url, content) and 10 s (llm) by default.
    assertThat(Arrays.stream(waits).sum()).isGreaterThan(10_000);
    assertThat(waits[waits.length - 1])
        .as("one wait alone outlasts the content breaker")
        .isGreaterThan(5_000);
  }

  @Test
  void callersGetACopy() {
    DegradedVerdictRetry.backoffMillis()[0] = 0;
    assertThat(DegradedVerdictRetry.backoffMillis()[0]).isPositive();
  }
}
