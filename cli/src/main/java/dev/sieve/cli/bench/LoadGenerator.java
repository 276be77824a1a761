package dev.sieve.cli.bench;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A load generator, closed or open loop.
 *
 * <p>Closed loop (the default): N workers, each with exactly one asynchronous call in flight; a
 * worker issues its next call when the previous one completes. Closed loop measures latency under a
 * fixed concurrency (what a proxy with N connections experiences) and never queues unboundedly on
 * the client — but it also slows down with the server, so it cannot overload it.
 *
 * <p>Open loop ({@code rate > 0}): calls are issued at a fixed rate whatever the server does (what
 * many independent clients do), so offered load can exceed capacity; this is how overload and
 * goodput are measured. At most {@code concurrency} calls are in flight; a call due while that many
 * are outstanding is not sent and counted under {@code CLIENT_CAP} (the client's own bound, so a
 * stalled server cannot exhaust the generator's memory). If the generator itself falls behind the
 * schedule (CPU), it catches up at once; the report gives the rate actually offered.
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
     * @param cacheHit whether the server answered from its cache, or null where the RPC has no
     *     cache
     */
    void done(Status.Code code, Answer answer);
  }

  /**
   * What a successful answer said about itself (Classify only; null for other RPCs).
   *
   * @param cacheHit answered from the router's cache
   * @param degraded decided without every tier it needed (a degraded verdict is not goodput)
   * @param alert the verdict raises the wellness alert
   */
  public record Answer(boolean cacheHit, boolean degraded, boolean alert) {}

  /**
   * How long and how hard to run.
   *
   * @param concurrency workers (calls in flight)
   * @param warmup unrecorded phase
   * @param duration measured phase length, or null when bounded by {@code requests}
   * @param requests measured calls, or 0 when bounded by {@code duration}
   * @param maxTime hard limit for the measured phase whatever the other bounds say
   * @param rate calls per second in open loop, or 0 for closed loop
   */
  public record Plan(
      int concurrency,
      Duration warmup,
      Duration duration,
      long requests,
      Duration maxTime,
      double rate) {
    public Plan(
        int concurrency, Duration warmup, Duration duration, long requests, Duration maxTime) {
      this(concurrency, warmup, duration, requests, maxTime, 0);
    }

    public Plan {
      if (rate < 0 || Double.isNaN(rate)) {
        throw new IllegalArgumentException("rate must be >= 0");
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1");
      }
      if ((duration == null) == (requests <= 0)) {
        throw new IllegalArgumentException("give exactly one of a duration or a request count");
      }
    }
  }

  private LoadGenerator() {}

  /** What the measured calls did; shared by both loops. */
  private static final class Tally {
    final Histogram histogram = new ConcurrentHistogram(3);
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final LongAdder ok = new LongAdder();
    final LongAdder cacheReported = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder degraded = new LongAdder();
    final LongAdder alerts = new LongAdder();
    final LongAdder degradedAlerts = new LongAdder();
    final LongAdder degradedCacheHits = new LongAdder();
    final AtomicLong lastCompletion;

    Tally(long measureStart) {
      lastCompletion = new AtomicLong(measureStart);
    }

    void record(Status.Code code, Answer answer, long started, long done) {
      if (code == Status.Code.OK) {
        histogram.recordValue(Math.max(1, (done - started) / 1_000));
        ok.increment();
        if (answer != null) {
          cacheReported.increment();
          if (answer.cacheHit()) {
            cacheHits.increment();
          }
          if (answer.degraded()) {
            degraded.increment();
            if (answer.cacheHit()) {
              degradedCacheHits.increment();
            }
            if (answer.alert()) {
              degradedAlerts.increment();
            }
          }
          if (answer.alert()) {
            alerts.increment();
          }
        }
      } else {
        error(code.name());
      }
      lastCompletion.accumulateAndGet(done, Math::max);
    }

    void error(String code) {
      errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    BenchReport report(String label, String target, long measureStart, long offered) {
      double seconds = Math.max(1e-9, (lastCompletion.get() - measureStart) / 1e9);
      Map<String, Long> errorCounts = new TreeMap<>();
      errors.forEach((code, count) -> errorCounts.put(code, count.sum()));
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
          cacheHits.sum(),
          new BenchReport.Quality(
              degraded.sum(),
              alerts.sum(),
              degradedAlerts.sum(),
              degradedCacheHits.sum(),
              offered));
    }
  }

  public static BenchReport run(String label, String target, AsyncCall call, Plan plan)
      throws InterruptedException {
    if (plan.rate() > 0) {
      return runOpen(label, target, call, plan);
    }
    AtomicLong tickets = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long start = System.nanoTime();
    long measureStart = start + plan.warmup().toNanos();
    Tally tally = new Tally(measureStart);
    long durationEnd =
        plan.duration() == null ? Long.MAX_VALUE : measureStart + plan.duration().toNanos();
    long hardEnd = measureStart + plan.maxTime().toNanos();
    CountDownLatch finished = new CountDownLatch(plan.concurrency());
    // Calls run with direct executors (no thread hop per callback, like grpc-java's own
    // benchmarks);
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
              (code, answer) -> {
                if (measured) {
                  tally.record(code, answer, now, System.nanoTime());
                }
                issue();
              });
        } catch (RuntimeException e) {
          // The client itself failed (e.g. channel shut down): count it and retire this worker.
          tally.error(Status.Code.UNKNOWN.name());
          finished.countDown();
        } finally {
          starting.set(false);
        }
      }
    }

    for (int i = 0; i < plan.concurrency(); i++) {
      new Worker().issue();
    }
    long waitNanos =
        plan.warmup().toNanos() + plan.maxTime().toNanos() + TimeUnit.SECONDS.toNanos(30);
    try {
      if (!finished.await(waitNanos, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(
            "load run did not finish: calls are hanging past their deadlines");
      }
    } finally {
      handoff.shutdownNow();
    }
    return tally.report(label, target, measureStart, 0);
  }

  /**
   * Open loop: one call every 1/rate seconds from this thread, at most {@code concurrency} in
   * flight.
   */
  private static BenchReport runOpen(String label, String target, AsyncCall call, Plan plan)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureStart = start + plan.warmup().toNanos();
    long durationEnd =
        plan.duration() == null ? Long.MAX_VALUE : measureStart + plan.duration().toNanos();
    long hardEnd = measureStart + plan.maxTime().toNanos();
    double intervalNanos = 1e9 / plan.rate();
    Tally tally = new Tally(measureStart);
    Semaphore inFlight = new Semaphore(plan.concurrency());
    long offered = 0;
    long measuredIssued = 0;
    for (long k = 0; ; k++) {
      long due = start + (long) (k * intervalNanos);
      long now = System.nanoTime();
      if (due - now > 0) {
        LockSupport.parkNanos(due - now);
        now = System.nanoTime();
      }
      if (now - hardEnd >= 0 || now - durationEnd >= 0) {
        break;
      }
      boolean measured = now - measureStart >= 0;
      if (measured) {
        if (plan.requests() > 0 && measuredIssued >= plan.requests()) {
          break;
        }
        measuredIssued++;
        offered++;
      }
      if (!inFlight.tryAcquire()) {
        if (measured) {
          tally.error("CLIENT_CAP");
        }
        continue;
      }
      long started = now;
      try {
        call.start(
            k,
            (code, answer) -> {
              if (measured) {
                tally.record(code, answer, started, System.nanoTime());
              }
              inFlight.release();
            });
      } catch (RuntimeException e) {
        inFlight.release();
        if (measured) {
          tally.error(Status.Code.UNKNOWN.name());
        }
      }
    }
    // Let the calls in flight finish (each has a deadline), then report.
    if (!inFlight.tryAcquire(plan.concurrency(), 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "load run did not finish: calls are hanging past their deadlines");
    }
    return tally.report(label, target, measureStart, offered);
  }
}
