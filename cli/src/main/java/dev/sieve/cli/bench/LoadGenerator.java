package dev.sieve.cli.bench;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: N workers, each with exactly one asynchronous call in flight; a
 * worker issues its next call when the previous one completes. Closed loop measures latency under
 * a fixed concurrency (what a proxy with N connections experiences) and never queues unboundedly
 * on the client.
 *
 * <p>A run has a warmup (calls made but not recorded: JIT, connection setup, caches), then a
 * measured phase bounded by a duration or a request count, and always by {@code maxTime}. Only
 * calls that start inside the measured phase are recorded.
 */
public final class LoadGenerator {

  /** Starts one asynchronous call and reports its completion exactly once. */
  @FunctionalInterface
  public interface AsyncCall {
    void start(long sequence, Completion onDone);
  }

  /** How one call ended. */
  @FunctionalInterface
  public interface Completion {
    /**
     * @param code the call's status
     * @param cacheHit whether the server answered from its cache, or null where the RPC has no cache
     */
    void done(Status.Code code, Boolean cacheHit);
  }

  /**
   * How long and how hard to run.
   *
   * @param concurrency workers (calls in flight)
   * @param warmup unrecorded phase
   * @param duration measured phase length, or null when bounded by {@code requests}
   * @param requests measured calls, or 0 when bounded by {@code duration}
   * @param maxTime hard limit for the measured phase whatever the other bounds say
   */
  public record Plan(int concurrency, Duration warmup, Duration duration, long requests, Duration maxTime) {
    public Plan {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1");
      }
      if ((duration == null) == (requests <= 0)) {
        throw new IllegalArgumentException("give exactly one of a duration or a request count");
      }
    }
  }

  private LoadGenerator() {}

  public static BenchReport run(String label, String target, AsyncCall call, Plan plan) throws InterruptedException {
    Histogram histogram = new ConcurrentHistogram(3);
    Map<Status.Code, LongAdder> errors = new ConcurrentHashMap<>();
    LongAdder ok = new LongAdder();
    LongAdder cacheReported = new LongAdder();
    LongAdder cacheHits = new LongAdder();
    AtomicLong tickets = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long start = System.nanoTime();
    long measureStart = start + plan.warmup().toNanos();
    AtomicLong lastCompletion = new AtomicLong(measureStart);
    long durationEnd = plan.duration() == null ? Long.MAX_VALUE : measureStart + plan.duration().toNanos();
    long hardEnd = measureStart + plan.maxTime().toNanos();
    CountDownLatch finished = new CountDownLatch(plan.concurrency());
    // Calls run with direct executors (no thread hop per callback, like grpc-java's own benchmarks);
    // a call that fails inside start() then completes on the calling thread, and the next issue()
    // is handed to this thread instead of recursing.
    ThreadLocal<Boolean> starting = ThreadLocal.withInitial(() -> false);
    ExecutorService handoff =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "bench-handoff");
              thread.setDaemon(true);
              return thread;
            });

    final class Worker {
      void issue() {
        if (starting.get()) {
          handoff.execute(this::issue);
          return;
        }
        long now = System.nanoTime();
        if (now - hardEnd >= 0 || (plan.duration() != null && now - durationEnd >= 0)) {
          finished.countDown();
          return;
        }
        boolean measured = now - measureStart >= 0;
        if (measured && plan.requests() > 0 && tickets.incrementAndGet() > plan.requests()) {
          finished.countDown();
          return;
        }
        starting.set(true);
        try {
          call.start(
              sequence.getAndIncrement(),
              (code, cacheHit) -> {
                long done = System.nanoTime();
                if (measured) {
                  if (code == Status.Code.OK) {
                    histogram.recordValue(Math.max(1, (done - now) / 1_000));
                    ok.increment();
                    if (cacheHit != null) {
                      cacheReported.increment();
                      if (cacheHit) {
                        cacheHits.increment();
                      }
                    }
                  } else {
                    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
                  }
                  lastCompletion.accumulateAndGet(done, Math::max);
                }
                issue();
              });
        } catch (RuntimeException e) {
          // The client itself failed (e.g. channel shut down): count it and retire this worker.
          errors.computeIfAbsent(Status.Code.UNKNOWN, c -> new LongAdder()).increment();
          finished.countDown();
        } finally {
          starting.set(false);
        }
      }
    }

    for (int i = 0; i < plan.concurrency(); i++) {
      new Worker().issue();
    }
    long waitNanos = plan.warmup().toNanos() + plan.maxTime().toNanos() + TimeUnit.SECONDS.toNanos(30);
    try {
      if (!finished.await(waitNanos, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("load run did not finish: calls are hanging past their deadlines");
      }
    } finally {
      handoff.shutdownNow();
    }
    double seconds = Math.max(1e-9, (lastCompletion.get() - measureStart) / 1e9);
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((code, count) -> errorCounts.put(code.name(), count.sum()));
    boolean any = histogram.getTotalCount() > 0;
    return new BenchReport(
        label,
        target,
        ok.sum(),
        new TreeMap<>(errorCounts),
        seconds,
        any ? histogram.getValueAtPercentile(50) : 0,
        any ? histogram.getValueAtPercentile(90) : 0,
        any ? histogram.getValueAtPercentile(99) : 0,
        any ? histogram.getValueAtPercentile(99.9) : 0,
        any ? histogram.getMaxValue() : 0,
        any ? histogram.getMean() : 0,
        cacheReported.sum(),
        cacheHits.sum());
  }
}
