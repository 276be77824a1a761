package dev.sieve.content.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.scoring.ServiceTimeEstimator;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Batching behaviour without timing assertions: a latch holds the worker inside a batch so the
 * queue state is known when the next step is checked.
 */
class DynamicBatcherTest {

  /** A batch function that records batches and can be held at entry. */
  private static final class Recorder implements DynamicBatcher.BatchFunction<Integer, Integer> {
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;

    Recorder(boolean hold) {
      this.release = new CountDownLatch(hold ? 1 : 0);
    }

    @Override
    public List<Integer> apply(List<Integer> inputs) throws Exception {
      batches.add(List.copyOf(inputs));
      entered.countDown();
      release.await(30, TimeUnit.SECONDS);
      return inputs.stream().map(i -> i * 10).toList();
    }
  }

  @Test
  void respectsTheMaxBatchSize() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(8, Duration.ofMillis(50), 100, 1), recorder)) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      futures.add(batcher.submit(0, null, null));
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < 30; i++) {
        futures.add(batcher.submit(i, null, null));
      }
      recorder.release.countDown();
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
      assertThat(recorder.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(8));
      // 29 requests were queued while the worker was held: full batches of 8 were formed.
      assertThat(recorder.batches).anySatisfy(b -> assertThat(b).hasSize(8));
      assertThat(batcher.stats().maxObservedBatch()).isEqualTo(8);
      assertThat(batcher.stats().computed()).isEqualTo(30);
    }
  }

  @Test
  void fullQueueRejectsImmediately() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(1, Duration.ZERO, 2, 1), recorder)) {
      CompletableFuture<Integer> running = batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> queued1 = batcher.submit(2, null, null);
      CompletableFuture<Integer> queued2 = batcher.submit(3, null, null);
      assertThatThrownBy(() -> batcher.submit(4, null, null))
          .isInstanceOf(DynamicBatcher.QueueFullException.class)
          .hasMessageContaining("queue is full");
      assertThat(batcher.stats().rejected()).isEqualTo(1);
      recorder.release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(10);
      assertThat(queued1.get(10, TimeUnit.SECONDS)).isEqualTo(20);
      assertThat(queued2.get(10, TimeUnit.SECONDS)).isEqualTo(30);
    }
  }

  @Test
  void requestWhoseDeadlineExpiresWhileQueuedIsDroppedBeforeCompute() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(4, Duration.ZERO, 10, 1), recorder)) {
      CompletableFuture<Integer> running = batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Deadline shortDeadline = Deadline.after(20, TimeUnit.MILLISECONDS);
      CompletableFuture<Integer> doomed = batcher.submit(2, shortDeadline, null);
      CompletableFuture<Integer> fine =
          batcher.submit(3, Deadline.after(1, TimeUnit.MINUTES), null);
      while (!shortDeadline.isExpired()) {
        Thread.sleep(5);
      }
      recorder.release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(10);
      assertThat(fine.get(10, TimeUnit.SECONDS)).isEqualTo(30);
      assertThatThrownBy(() -> doomed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(DynamicBatcher.DeadlineExpiredException.class);
      assertThat(recorder.batches).noneSatisfy(b -> assertThat(b).contains(2));
      assertThat(batcher.stats().expired()).isEqualTo(1);
    }
  }

  @Test
  void alreadyExpiredDeadlineIsRefusedAtSubmit() {
    Recorder recorder = new Recorder(false);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(4, Duration.ZERO, 10, 1), recorder)) {
      Deadline past = Deadline.after(-1, TimeUnit.MILLISECONDS);
      assertThatThrownBy(() -> batcher.submit(1, past, null))
          .isInstanceOf(DynamicBatcher.DeadlineExpiredException.class);
      assertThat(recorder.batches).isEmpty();
    }
  }

  @Test
  void cancelledCallIsDroppedBeforeCompute() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(4, Duration.ZERO, 10, 1), recorder)) {
      batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Context.CancellableContext call = Context.current().withCancellation();
      CompletableFuture<Integer> cancelled = batcher.submit(2, null, call);
      call.cancel(null);
      recorder.release.countDown();
      assertThatThrownBy(() -> cancelled.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DynamicBatcher.DeadlineExpiredException.class);
      assertThat(recorder.batches).noneSatisfy(b -> assertThat(b).contains(2));
    }
  }

  @Test
  void maxQueueDelayFlushesAPartialBatch() throws Exception {
    Recorder recorder = new Recorder(false);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t", new BatcherConfig(100, Duration.ofMillis(30), 200, 1), recorder)) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        futures.add(batcher.submit(i, null, null));
      }
      // Far fewer than 100 requests: they complete because the oldest waited max-queue-delay.
      for (int i = 0; i < 3; i++) {
        assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
      assertThat(recorder.batches).allSatisfy(b -> assertThat(b.size()).isLessThan(100));
      assertThat(recorder.batches.stream().mapToInt(List::size).sum()).isEqualTo(3);
    }
  }

  @Test
  void aFailingBatchFailsOnlyItsRequests() throws Exception {
    DynamicBatcher.BatchFunction<Integer, Integer> function =
        inputs -> {
          if (inputs.contains(-1)) {
            throw new IllegalStateException("model exploded");
          }
          return inputs;
        };
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(1, Duration.ZERO, 10, 1), function)) {
      CompletableFuture<Integer> bad = batcher.submit(-1, null, null);
      CompletableFuture<Integer> good = batcher.submit(5, null, null);
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(5);
      assertThat(batcher.stats().failed()).isEqualTo(1);
    }
  }

  /** An estimator that already believes one unit costs {@code millis}. */
  private static ServiceTimeEstimator seeded(long millis) {
    ServiceTimeEstimator estimator = new ServiceTimeEstimator();
    estimator.observe(1, TimeUnit.MILLISECONDS.toNanos(millis));
    return estimator;
  }

  @Test
  void shedsAtAdmissionWhenTheDeadlineCannotCoverTheWorkAhead() throws Exception {
    Recorder recorder = new Recorder(true);
    // Each request weighs its own value in units; one unit is believed to cost 100 ms.
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t", new BatcherConfig(1, Duration.ZERO, 100, 1), recorder, i -> i, seeded(100))) {
      CompletableFuture<Integer> running = batcher.submit(4, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> queued = batcher.submit(6, null, null);
      assertThat(batcher.queuedUnits()).isEqualTo(6);

      // 4 units in flight + 6 queued + 1 own = 1.1 s expected: a 500 ms deadline cannot make it.
      assertThatThrownBy(() -> batcher.submit(1, Deadline.after(500, TimeUnit.MILLISECONDS), null))
          .isInstanceOf(DynamicBatcher.QueueFullException.class)
          .hasMessageContaining("shed at admission")
          .hasMessageContaining("10 queued/in-flight units");
      assertThat(batcher.stats().shed()).isEqualTo(1);
      assertThat(batcher.stats().rejected()).isZero();
      assertThat(batcher.queuedUnits()).isEqualTo(6);

      // A deadline that covers the work ahead is admitted, and so is a call without a deadline.
      CompletableFuture<Integer> patient =
          batcher.submit(1, Deadline.after(10, TimeUnit.MINUTES), null);
      CompletableFuture<Integer> noDeadline = batcher.submit(2, null, null);
      recorder.release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(40);
      assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(60);
      assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(10);
      assertThat(noDeadline.get(10, TimeUnit.SECONDS)).isEqualTo(20);
      assertThat(batcher.stats().shed()).isEqualTo(1);
      assertThat(batcher.queuedUnits()).isZero();
    }
  }

  @Test
  void withoutDeadlineAdmissionOnlyTheQueueCapacityRefuses() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            new BatcherConfig(1, Duration.ZERO, 100, 1, false),
            recorder,
            i -> i,
            seeded(100))) {
      batcher.submit(4, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      batcher.submit(6, null, null);
      CompletableFuture<Integer> doomed =
          batcher.submit(1, Deadline.after(500, TimeUnit.MILLISECONDS), null);
      assertThat(doomed).isNotDone();
      assertThat(batcher.stats().shed()).isZero();
      recorder.release.countDown();
    }
  }

  @Test
  void requestThatCannotOutliveItsBatchIsDroppedWhenTheBatchIsFormed() throws Exception {
    Recorder recorder = new Recorder(true);
    ServiceTimeEstimator estimator = seeded(1);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t", new BatcherConfig(4, Duration.ZERO, 100, 1), recorder, i -> 1, estimator)) {
      CompletableFuture<Integer> running = batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      // Admitted: at 1 ms/unit a minute is plenty.
      CompletableFuture<Integer> doomed =
          batcher.submit(2, Deadline.after(1, TimeUnit.MINUTES), null);
      CompletableFuture<Integer> patient = batcher.submit(3, null, null);
      // While it waits the model turns out to be far slower: ~1,000 s per unit.
      estimator.observe(1, TimeUnit.SECONDS.toNanos(5_000));
      recorder.release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(10);
      assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(30);
      assertThatThrownBy(() -> doomed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(DynamicBatcher.DeadlineExpiredException.class)
          .hasMessageContaining("dropped before compute");
      assertThat(recorder.batches).noneSatisfy(b -> assertThat(b).contains(2));
      assertThat(batcher.stats().unfinishable()).isEqualTo(1);
      assertThat(batcher.stats().late()).isZero();
    }
  }

  @Test
  void expiredRequestsDoNotTakeAPlaceInTheBatch() throws Exception {
    Recorder recorder = new Recorder(true);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(2, Duration.ZERO, 10, 1), recorder)) {
      batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Deadline soon = Deadline.after(10, TimeUnit.MILLISECONDS);
      batcher.submit(2, soon, null);
      batcher.submit(3, soon, null);
      CompletableFuture<Integer> a = batcher.submit(4, null, null);
      CompletableFuture<Integer> b = batcher.submit(5, null, null);
      while (!soon.isExpired()) {
        Thread.sleep(5);
      }
      recorder.release.countDown();
      assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(40);
      assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(50);
      // The two expired requests were skipped while the batch was formed: 4 and 5 share one batch.
      assertThat(recorder.batches).contains(List.of(4, 5));
      assertThat(batcher.stats().expired()).isEqualTo(2);
    }
  }

  @Test
  void aBatchStopsGrowingBeforeItWouldOutlastAMembersDeadline() throws Exception {
    Recorder recorder = new Recorder(true);
    // Request i weighs i units (5 weighs 1); one unit is believed to cost 10 s.
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            new BatcherConfig(8, Duration.ZERO, 100, 1),
            recorder,
            i -> i == 5 ? 1 : i,
            seeded(10_000))) {
      CompletableFuture<Integer> held = batcher.submit(1, null, null);
      assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).isTrue();
      // Admitted: 1 unit in flight + its own 2 = 30 s expected, within 35 s.
      CompletableFuture<Integer> hurried =
          batcher.submit(2, Deadline.after(35, TimeUnit.SECONDS), null);
      CompletableFuture<Integer> patient = batcher.submit(3, null, null);
      CompletableFuture<Integer> last = batcher.submit(5, null, null);
      recorder.release.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(10);
      assertThat(hurried.get(10, TimeUnit.SECONDS)).isEqualTo(20);
      assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(30);
      assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo(50);
      // After the held batch the estimate is still ~8 s/unit: 2 + 3 units (40 s) would outlast the
      // 35 s deadline of request 2, so 3 waits for the next batch, which 5 joins.
      assertThat(recorder.batches).containsExactly(List.of(1), List.of(2), List.of(3, 5));
      assertThat(batcher.stats().unfinishable()).isZero();
      assertThat(batcher.queuedUnits()).isZero();
    }
  }
}
