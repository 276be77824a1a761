package dev.sieve.content.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Batching behaviour without timing assertions: a latch holds the worker inside a batch so the queue
 * state is known when the next step is checked.
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
      CompletableFuture<Integer> fine = batcher.submit(3, Deadline.after(1, TimeUnit.MINUTES), null);
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
        new DynamicBatcher<>("t", new BatcherConfig(100, Duration.ofMillis(30), 200, 1), recorder)) {
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
    DynamicBatcher.BatchFunction<Integer, Integer> function = inputs -> {
      if (inputs.contains(-1)) {
        throw new IllegalStateException("model exploded");
      }
      return inputs;
    };
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>("t", new BatcherConfig(1, Duration.ZERO, 10, 1), function)) {
      CompletableFuture<Integer> bad = batcher.submit(-1, null, null);
      CompletableFuture<Integer> good = batcher.submit(5, null, null);
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(5);
      assertThat(batcher.stats().failed()).isEqualTo(1);
    }
  }
}
