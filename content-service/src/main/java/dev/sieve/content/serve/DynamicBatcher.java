package dev.sieve.content.serve;

import dev.sieve.core.scoring.ServiceTimeEstimator;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching in front of a model, in the style of Triton's dynamic batcher and DJL Serving's
 * work-load manager: requests wait in a bounded queue; a worker takes the oldest, then keeps taking
 * until the batch is full or the oldest request has waited {@code maxQueueDelay}, and computes the
 * batch in one call.
 *
 * <p>Overload and deadlines, per the Scorer contract. The point is that the model never spends time
 * on a request nobody waits for any more (issue #12 item 3: with admission by queue length only, a
 * full queue of 128 pages expired before the encoder reached them and goodput fell to almost zero):
 *
 * <ul>
 *   <li>The queue is bounded and {@link #submit} never blocks: a full queue throws {@link
 *       QueueFullException} (RESOURCE_EXHAUSTED) at once, so the router's circuit breaker sees
 *       overload instead of a timeout.
 *   <li>Admission by what can finish in time ({@link BatcherConfig#deadlineAdmission()}): a request
 *       with a deadline is admitted only if its remaining time covers the expected wait for the
 *       work ahead of it (units queued and in flight × the {@link ServiceTimeEstimator}'s cost per
 *       unit ÷ workers) plus its own service time; otherwise it is shed at once with {@link
 *       QueueFullException} (RESOURCE_EXHAUSTED, the description says why), while the caller can
 *       still use its time elsewhere. Before the first batch there is no estimate and nothing is
 *       shed; an idle batcher (nothing queued or in flight) admits every request, so a stale
 *       estimate is corrected by the next batch instead of refusing work forever.
 *   <li>Deadlines are read when a request is enqueued (an already-expired request is refused),
 *       while a batch is formed and again just before compute: a request whose deadline passed or
 *       whose call was cancelled while queued, or (with deadline admission) whose remaining time is
 *       shorter than the estimated time of its batch, is completed with {@link
 *       DeadlineExpiredException} and never computed. With deadline admission a batch also stops
 *       growing before its estimated time would pass a member's deadline (every member is answered
 *       when the whole batch is done); the request that did not fit opens the next batch.
 * </ul>
 *
 * <p>Work is measured in units given by a weigher (the content tier counts encoder chunks, so a
 * 16-chunk page weighs 16 one-chunk texts); without one every request is one unit.
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
      I input,
      int units,
      Deadline deadline,
      Context context,
      long enqueuedNanos,
      CompletableFuture<O> result) {

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
    final LongAdder shed = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder unfinishable = new LongAdder();
    final LongAdder late = new LongAdder();
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

    /** Requests refused because the queue was full (or the batcher closing). */
    /**
     * Requests refused at admission: their deadline could not cover the expected wait + service.
     */
    public long shed() {
      return shed.sum();
    }

    /**
     * Requests dropped before compute because their deadline had passed or their call was
     * cancelled.
     */
    public long expired() {
      return expired.sum();
    }

    /**
     * Requests dropped when their batch was formed: still alive, but with less time left than the
     * estimated time of the batch (they would have been encoded for nobody).
     */
    public long unfinishable() {
      return unfinishable.sum();
    }

    /** Requests computed but finished after their deadline (wasted work; should stay near zero). */
    public long late() {
      return late.sum();
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
  private final ToIntFunction<I> weigher;
  private final BlockingQueue<Pending<I, O>> queue;
  private final ServiceTimeEstimator estimator;
  private final AtomicLong queuedUnits = new AtomicLong();
  private final AtomicLong inFlightUnits = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  private final Stats stats = new Stats();
  private volatile boolean closed;

  /** A batcher where every request is one unit of work. */
  public DynamicBatcher(String name, BatcherConfig config, BatchFunction<I, O> function) {
    this(name, config, function, input -> 1);
  }

  /**
   * @param weigher units of work of one request (at least 1 is counted), e.g. encoder chunks
   */
  public DynamicBatcher(
      String name, BatcherConfig config, BatchFunction<I, O> function, ToIntFunction<I> weigher) {
    this(name, config, function, weigher, new ServiceTimeEstimator());
  }

  /** With a given estimator (tests seed it so admission decisions do not depend on timing). */
  DynamicBatcher(
      String name,
      BatcherConfig config,
      BatchFunction<I, O> function,
      ToIntFunction<I> weigher,
      ServiceTimeEstimator estimator) {
    this.name = name;
    this.estimator = estimator;
    this.config = config;
    this.function = function;
    this.weigher = weigher;
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

  /** Units of work waiting (queued, not yet taken into a batch). */
  public long queuedUnits() {
    return queuedUnits.get();
  }

  /** The learned cost of one unit of work (drives admission). */
  public ServiceTimeEstimator estimator() {
    return estimator;
  }

  /**
   * Enqueues one request.
   *
   * @param deadline the caller's deadline (null = none); checked now and again before compute
   * @param context the caller's gRPC context (null = none): a cancelled call is dropped
   * @throws QueueFullException when the queue is full, the batcher is closed, or (deadline
   *     admission) the deadline cannot cover the expected wait and service time (never blocks)
   * @throws DeadlineExpiredException when the deadline has already expired
   */
  public CompletableFuture<O> submit(I input, Deadline deadline, Context context)
      throws QueueFullException {
    if (deadline != null && deadline.isExpired()) {
      stats.expired.increment();
      throw new DeadlineExpiredException("deadline expired before the request was queued");
    }
    if (closed) {
      stats.rejected.increment();
      throw new QueueFullException(name + " is shutting down");
    }
    int units = Math.max(1, weigher.applyAsInt(input));
    if (config.deadlineAdmission() && deadline != null && estimator.hasEstimate()) {
      admitOrShed(units, deadline);
    }
    Pending<I, O> pending =
        new Pending<>(
            input, units, deadline, context, System.nanoTime(), new CompletableFuture<>());
    queuedUnits.addAndGet(units);
    // Counted before the offer: once offered, a worker may compute the request (and a reader see
    // its effects) before this thread runs again, and "computed" must never run ahead of
    // "submitted".
    stats.submitted.increment();
    if (!queue.offer(pending)) {
      stats.submitted.decrement();
      queuedUnits.addAndGet(-units);
      stats.rejected.increment();
      throw new QueueFullException(
          name + " queue is full (" + config.queueCapacity() + " requests waiting)");
    }
    return pending.result();
  }

  /**
   * The admission test alone, for a caller that can shed before it spends anything on the request:
   * the content tier asks with 1 unit before it parses a page, so under overload a request that
   * could not finish even as the smallest page does not cost an HTML parse either. No-op when
   * deadline admission is off, without a deadline, or before the first batch.
   *
   * @throws QueueFullException when the deadline cannot cover the work ahead plus {@code units}
   */
  public void checkAdmission(int units, Deadline deadline) throws QueueFullException {
    if (config.deadlineAdmission() && deadline != null && estimator.hasEstimate()) {
      admitOrShed(Math.max(1, units), deadline);
    }
  }

  /**
   * Sheds a request whose remaining time cannot cover the work ahead of it (queued and in flight,
   * drained by all workers) plus its own batch delay and service time.
   */
  private void admitOrShed(int units, Deadline deadline) throws QueueFullException {
    long ahead = queuedUnits.get() + inFlightUnits.get();
    if (ahead == 0) {
      // An idle batcher always takes the request: otherwise one slow batch could leave an estimate
      // that refuses every large request and, with nothing computed, is never corrected.
      return;
    }
    long waitNanos = estimator.nanosFor(ahead) / config.workers();
    long expectedNanos = waitNanos + config.maxQueueDelay().toNanos() + estimator.nanosFor(units);
    long remainingNanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    if (remainingNanos < expectedNanos) {
      stats.shed.increment();
      throw new QueueFullException(
          String.format(
              Locale.ROOT,
              "%s overloaded: shed at admission, expected %d ms (wait for %d queued/in-flight units + %d own"
                  + " at %.1f ms/unit) exceeds the call's remaining %d ms",
              name,
              expectedNanos / 1_000_000,
              ahead,
              units,
              estimator.nanosPerUnit() / 1e6,
              remainingNanos / 1_000_000));
    }
  }

  private void runWorker() {
    List<Pending<I, O>> batch = new ArrayList<>(config.maxBatchSize());
    // A request that did not fit the previous batch's deadlines: it opens the next one.
    Pending<I, O> carried = null;
    while (!closed || !queue.isEmpty() || carried != null) {
      batch.clear();
      try {
        Pending<I, O> first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null) {
          continue;
        }
        queuedUnits.addAndGet(-first.units());
        if (dropIfExpired(first)) {
          continue;
        }
        batch.add(first);
        long units = first.units();
        long budget = remainingNanos(first);
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
          // An expired request does not take a place in the batch.
          if (next.expired()) {
            queuedUnits.addAndGet(-next.units());
            dropIfExpired(next);
            continue;
          }
          // Every request of a batch is answered when the whole batch is done: a request that would
          // make the batch outlast a member's deadline (its own included) waits for the next batch.
          long nextBudget = Math.min(budget, remainingNanos(next));
          if (!finishableWithin(units + next.units(), nextBudget)) {
            carried = next;
            break;
          }
          queuedUnits.addAndGet(-next.units());
          batch.add(next);
          units += next.units();
          budget = nextBudget;
        }
      } catch (InterruptedException e) {
        if (closed && batch.isEmpty()) {
          break;
        }
      }
      if (!batch.isEmpty()) {
        compute(batch);
      }
    }
    // Anything left after close is failed, never silently dropped.
    Pending<I, O> left;
    while ((left = queue.poll()) != null) {
      queuedUnits.addAndGet(-left.units());
      left.result().completeExceptionally(new DeadlineExpiredException(name + " shut down"));
    }
  }

  /** Time left before {@code pending}'s deadline; {@link Long#MAX_VALUE} without one. */
  private static long remainingNanos(Pending<?, ?> pending) {
    return pending.deadline() == null
        ? Long.MAX_VALUE
        : pending.deadline().timeRemaining(TimeUnit.NANOSECONDS);
  }

  /**
   * Whether a batch of {@code units} is expected to finish within {@code budget} (always, without
   * admission).
   */
  private boolean finishableWithin(long units, long budget) {
    return !config.deadlineAdmission()
        || !estimator.hasEstimate()
        || budget == Long.MAX_VALUE
        || estimator.nanosFor(units) <= budget;
  }

  private boolean dropIfExpired(Pending<I, O> pending) {
    if (!pending.expired()) {
      return false;
    }
    stats.expired.increment();
    pending
        .result()
        .completeExceptionally(
            new DeadlineExpiredException("deadline expired while queued; dropped before compute"));
    return true;
  }

  private void compute(List<Pending<I, O>> batch) {
    List<Pending<I, O>> live = new ArrayList<>(batch.size());
    long batchUnits = 0;
    for (Pending<I, O> pending : batch) {
      if (!dropIfExpired(pending)) {
        live.add(pending);
        batchUnits += pending.units();
      }
    }
    if (config.deadlineAdmission() && estimator.hasEstimate() && !live.isEmpty()) {
      // Re-check at batch formation: a request that cannot outlive this batch is not encoded.
      long batchNanos = estimator.nanosFor(batchUnits);
      List<Pending<I, O>> finishable = new ArrayList<>(live.size());
      for (Pending<I, O> pending : live) {
        if (pending.deadline() != null
            && pending.deadline().timeRemaining(TimeUnit.NANOSECONDS) < batchNanos) {
          stats.unfinishable.increment();
          batchUnits -= pending.units();
          pending
              .result()
              .completeExceptionally(
                  new DeadlineExpiredException(
                      String.format(
                          Locale.ROOT,
                          "%s: %d ms left, shorter than the estimated %d ms of its batch; dropped before compute",
                          name,
                          pending.deadline().timeRemaining(TimeUnit.MILLISECONDS),
                          batchNanos / 1_000_000)));
        } else {
          finishable.add(pending);
        }
      }
      live = finishable;
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
    inFlightUnits.addAndGet(batchUnits);
    try {
      long start = System.nanoTime();
      outputs = function.apply(inputs);
      estimator.observe(batchUnits, System.nanoTime() - start);
      if (outputs == null || outputs.size() != inputs.size()) {
        throw new IllegalStateException(
            "batch function returned "
                + (outputs == null ? "null" : outputs.size())
                + " results for "
                + inputs.size()
                + " inputs");
      }
    } catch (Exception | Error e) {
      inFlightUnits.addAndGet(-batchUnits);
      stats.failed.add(live.size());
      log.error("{}: batch of {} failed", name, live.size(), e);
      for (Pending<I, O> pending : live) {
        pending.result().completeExceptionally(e);
      }
      return;
    }
    inFlightUnits.addAndGet(-batchUnits);
    for (int i = 0; i < live.size(); i++) {
      Pending<I, O> pending = live.get(i);
      if (pending.deadline() != null && pending.deadline().isExpired()) {
        stats.late.increment();
      }
      pending.result().complete(outputs.get(i));
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
