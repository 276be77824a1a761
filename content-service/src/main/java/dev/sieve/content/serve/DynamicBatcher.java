package dev.sieve.content.serve;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching in front of a model, in the style of Triton's dynamic batcher and DJL Serving's
 * work-load manager: requests wait in a bounded queue; a worker takes the oldest, then keeps taking
 * until the batch is full or the oldest request has waited {@code maxQueueDelay}, and computes the
 * batch in one call.
 *
 * <p>Overload and deadlines, per the Scorer contract:
 *
 * <ul>
 *   <li>The queue is bounded and {@link #submit} never blocks: a full queue throws {@link
 *       QueueFullException} (RESOURCE_EXHAUSTED) at once, so the router's circuit breaker sees
 *       overload instead of a timeout.
 *   <li>Deadlines are read when a request is enqueued (an already-expired request is refused) and
 *       again just before compute: a request whose deadline passed or whose call was cancelled
 *       while queued is completed with {@link DeadlineExpiredException} and never computed.
 * </ul>
 *
 * <p>Results are delivered through {@link CompletableFuture}s; a batch function failure fails every
 * request of that batch (and only that batch).
 *
 * @param <I> request type
 * @param <O> result type
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

  /** Computes one batch; must return one result per input, in order. */
  @FunctionalInterface
  public interface BatchFunction<I, O> {
    List<O> apply(List<I> inputs) throws Exception;
  }

  /** The queue is full: the caller must see RESOURCE_EXHAUSTED. */
  public static final class QueueFullException extends Exception {
    QueueFullException(String message) {
      super(message, null, false, false);
    }
  }

  /** The request's deadline expired (or its call was cancelled) before it was computed. */
  public static final class DeadlineExpiredException extends RuntimeException {
    DeadlineExpiredException(String message) {
      super(message, null, false, false);
    }
  }

  private record Pending<I, O>(
      I input, Deadline deadline, Context context, long enqueuedNanos, CompletableFuture<O> result) {

    boolean expired() {
      return result.isDone()
          || (deadline != null && deadline.isExpired())
          || (context != null && context.isCancelled());
    }
  }

  /** Counters for metrics and the benchmark. */
  public static final class Stats {
    final LongAdder submitted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder computed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicLong queueWaitNanos = new AtomicLong();
    final AtomicInteger maxObservedBatch = new AtomicInteger();

    public long submitted() {
      return submitted.sum();
    }

    public long rejected() {
      return rejected.sum();
    }

    public long expired() {
      return expired.sum();
    }

    public long batches() {
      return batches.sum();
    }

    public long computed() {
      return computed.sum();
    }

    public long failed() {
      return failed.sum();
    }

    public int maxObservedBatch() {
      return maxObservedBatch.get();
    }

    /** Mean requests per computed batch. */
    public double meanBatchSize() {
      long b = batches.sum();
      return b == 0 ? 0 : (double) computed.sum() / b;
    }

    /** Mean time a computed request waited in the queue, in milliseconds. */
    public double meanQueueWaitMillis() {
      long c = computed.sum();
      return c == 0 ? 0 : queueWaitNanos.get() / 1e6 / c;
    }
  }

  private final String name;
  private final BatcherConfig config;
  private final BatchFunction<I, O> function;
  private final BlockingQueue<Pending<I, O>> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final Stats stats = new Stats();
  private volatile boolean closed;

  public DynamicBatcher(String name, BatcherConfig config, BatchFunction<I, O> function) {
    this.name = name;
    this.config = config;
    this.function = function;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    for (int i = 0; i < config.workers(); i++) {
      Thread worker = new Thread(this::runWorker, name + "-batcher-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  public BatcherConfig config() {
    return config;
  }

  public Stats stats() {
    return stats;
  }

  /** Requests currently waiting. */
  public int queueDepth() {
    return queue.size();
  }

  /**
   * Enqueues one request.
   *
   * @param deadline the caller's deadline (null = none); checked now and again before compute
   * @param context the caller's gRPC context (null = none): a cancelled call is dropped
   * @throws QueueFullException when the queue is full or the batcher is closed (never blocks)
   * @throws DeadlineExpiredException when the deadline has already expired
   */
  public CompletableFuture<O> submit(I input, Deadline deadline, Context context) throws QueueFullException {
    if (deadline != null && deadline.isExpired()) {
      stats.expired.increment();
      throw new DeadlineExpiredException("deadline expired before the request was queued");
    }
    if (closed) {
      stats.rejected.increment();
      throw new QueueFullException(name + " is shutting down");
    }
    Pending<I, O> pending =
        new Pending<>(input, deadline, context, System.nanoTime(), new CompletableFuture<>());
    if (!queue.offer(pending)) {
      stats.rejected.increment();
      throw new QueueFullException(
          name + " queue is full (" + config.queueCapacity() + " requests waiting)");
    }
    stats.submitted.increment();
    return pending.result();
  }

  private void runWorker() {
    List<Pending<I, O>> batch = new ArrayList<>(config.maxBatchSize());
    while (!closed || !queue.isEmpty()) {
      batch.clear();
      try {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long flushAt = first.enqueuedNanos() + config.maxQueueDelay().toNanos();
        while (batch.size() < config.maxBatchSize()) {
          // Take what is already queued without waiting; wait only while the oldest may still wait.
          Pending<I, O> next = queue.poll();
          if (next == null) {
            long wait = flushAt - System.nanoTime();
            if (wait <= 0 || closed) {
              break;
            }
            next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
              break;
            }
          }
          batch.add(next);
        }
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
        continue;
      }
      compute(batch);
    }
    // Anything left after close is failed, never silently dropped.
    Pending<I, O> left;
    while ((left = queue.poll()) != null) {
      left.result().completeExceptionally(new DeadlineExpiredException(name + " shut down"));
    }
  }

  private void compute(List<Pending<I, O>> batch) {
    List<Pending<I, O>> live = new ArrayList<>(batch.size());
    for (Pending<I, O> pending : batch) {
      if (pending.expired()) {
        stats.expired.increment();
        pending.result().completeExceptionally(
            new DeadlineExpiredException("deadline expired while queued; dropped before compute"));
      } else {
        live.add(pending);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<I> inputs = new ArrayList<>(live.size());
    for (Pending<I, O> pending : live) {
      inputs.add(pending.input());
      stats.queueWaitNanos.addAndGet(now - pending.enqueuedNanos());
    }
    stats.batches.increment();
    stats.computed.add(live.size());
    stats.maxObservedBatch.accumulateAndGet(live.size(), Math::max);
    List<O> outputs;
    try {
      outputs = function.apply(inputs);
      if (outputs == null || outputs.size() != inputs.size()) {
        throw new IllegalStateException(
            "batch function returned " + (outputs == null ? "null" : outputs.size())
                + " results for " + inputs.size() + " inputs");
      }
    } catch (Exception | Error e) {
      stats.failed.add(live.size());
      log.error("{}: batch of {} failed", name, live.size(), e);
      for (Pending<I, O> pending : live) {
        pending.result().completeExceptionally(e);
      }
      return;
    }
    for (int i = 0; i < live.size(); i++) {
      live.get(i).result().complete(outputs.get(i));
    }
  }

  /** Stops accepting work, lets workers finish the queued requests, then stops them. */
  @Override
  public void close() {
    closed = true;
    for (Thread worker : workers) {
      try {
        worker.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }
}
