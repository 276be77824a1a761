package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectedRequestLogTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> lines = new ArrayList<>();
  private final RejectedRequestLog log =
      new RejectedRequestLog(Duration.ofSeconds(10), now::get, lines::add, false);

  @Test
  void theFirstRefusalIsLoggedAtOnceThenOneSummaryLinePerInterval() {
    log.record(
        Status.Code.INVALID_ARGUMENT,
        "sieve.v1.Classifier/Classify: Protocol message had invalid UTF-8.");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith(
            "refused 1 malformed or oversized request (INVALID_ARGUMENT 1); latest: INVALID_ARGUMENT sieve.v1.Classifier/Classify")
        .contains("one summary line per 10 s")
        .doesNotContain("\n");

    for (int i = 0; i < 999; i++) {
      now.addAndGet(5_000_000L); // 5 ms apart: 5 s in all
      log.record(
          i % 3 == 0 ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.INVALID_ARGUMENT,
          "gRPC message exceeds\nmaximum size 4096: 8200");
    }
    assertThat(lines).as("still inside the interval").hasSize(1);

    now.addAndGet(5_010_000_000L);
    log.record(Status.Code.INVALID_ARGUMENT, "x");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .startsWith(
            "refused 1000 malformed or oversized requests in the last 10 s (INVALID_ARGUMENT 667, RESOURCE_EXHAUSTED 333); latest: INVALID_ARGUMENT x");
    assertThat(log.total()).isEqualTo(1001);
  }

  @Test
  void flushSummarizesTheTailOfABurstAndNothingWhenThereIsNone() {
    log.record(Status.Code.INVALID_ARGUMENT, "a");
    log.record(Status.Code.INVALID_ARGUMENT, "b");
    log.record(Status.Code.RESOURCE_EXHAUSTED, "gRPC message exceeds maximum size 4096: 8200");
    now.addAndGet(10_000_000_000L);
    log.flush();
    log.flush();

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .startsWith(
            "refused 2 malformed or oversized requests in the last 10 s (INVALID_ARGUMENT 1, RESOURCE_EXHAUSTED 1); latest: RESOURCE_EXHAUSTED gRPC message exceeds");
  }
}
