package dev.sieve.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdaptiveInFlightTest {

  @Test
  void aDegradedAnswerHalvesTheLimitOncePerEpoch() throws Exception {
    AdaptiveInFlight limit = new AdaptiveInFlight(16);
    long[] epochs = new long[8];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = limit.acquire();
    }
    // Eight calls sent under the old limit all come back degraded: one halving, not eight.
    for (long epoch : epochs) {
      limit.signal(epoch, false);
      limit.release();
    }
    assertThat(limit.limit()).isEqualTo(8);
    // A call sent after the decrease that comes back degraded halves again.
    long next = limit.acquire();
    limit.signal(next, false);
    limit.release();
    assertThat(limit.limit()).isEqualTo(4);
    assertThat(limit.lowest()).isEqualTo(4);
  }

  @Test
  void theLimitNeverFallsBelowOneAndGrowsBackByOnePerWindowOfHealthyAnswers() throws Exception {
    AdaptiveInFlight limit = new AdaptiveInFlight(4);
    for (int i = 0; i < 5; i++) {
      long epoch = limit.acquire();
      limit.signal(epoch, false);
      limit.release();
    }
    assertThat(limit.limit()).isEqualTo(1);
    // limit 1: one healthy answer raises it to 2, then two more to 3, then three more to 4 (the
    // max).
    int healthy = 0;
    while (limit.limit() < 4) {
      long epoch = limit.acquire();
      limit.signal(epoch, true);
      limit.release();
      healthy++;
    }
    assertThat(healthy).isEqualTo(1 + 2 + 3);
    for (int i = 0; i < 20; i++) {
      long epoch = limit.acquire();
      limit.signal(epoch, true);
      limit.release();
    }
    assertThat(limit.limit()).isEqualTo(4);
    assertThat(limit.lowest()).isEqualTo(1);
  }

  @Test
  void acquireWaitsWhileTheLimitIsReached() throws Exception {
    AdaptiveInFlight limit = new AdaptiveInFlight(1);
    limit.acquire();
    Thread waiter =
        new Thread(
            () -> {
              try {
                limit.acquire();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    waiter.join(200);
    assertThat(waiter.isAlive()).as("a second call waits for the only slot").isTrue();
    limit.release();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(limit.awaitIdle(10)).isFalse();
    limit.release();
    assertThat(limit.awaitIdle(10_000)).isTrue();
  }

  @Test
  void rejectsANonPositiveMaximum() {
    assertThatThrownBy(() -> new AdaptiveInFlight(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
