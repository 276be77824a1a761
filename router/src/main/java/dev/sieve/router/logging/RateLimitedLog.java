package dev.sieve.router.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Writes a log line at most once per interval per key ("content/down", "fail-closed/content
 * CIRCUIT_OPEN"), counting what it held back and saying so in the next line it writes.
 *
 * <p>Why: at 45k requests/s a tier outage or a fail-closed decision happens thousands of times a
 * second; one line per event would drown the log (and cost more than the request), no line at all
 * left operators with metrics only (#12 item 7). The first event of a key is always written, so the
 * moment a tier goes down is in the log to the millisecond.
 */
public final class RateLimitedLog {

  /** Default interval between two lines of the same key. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  private static final class Slot {
    final AtomicLong nextAllowed;
    final AtomicLong suppressed = new AtomicLong();

    Slot(long now) {
      nextAllowed = new AtomicLong(now);
    }
  }

  public RateLimitedLog(Logger logger) {
    this(logger, DEFAULT_INTERVAL, System::nanoTime);
  }

  /**
   * @param interval at most one line per key per interval
   * @param nanoTime monotonic time source (a fake in tests)
   */
  public RateLimitedLog(Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Logs {@code format} with {@code args} at WARN unless a line with the same key was written less
   * than the interval ago (then only counts it).
   *
   * @return true when the line was written
   */
  public boolean warn(String key, String format, Object... args) {
    return log(true, key, format, args);
  }

  /** As {@link #warn}, at INFO (recoveries: a tier answering again, a breaker closing). */
  public boolean info(String key, String format, Object... args) {
    return log(false, key, format, args);
  }

  /** As {@link #warn} at WARN when {@code warn}, else at INFO. */
  public boolean log(boolean warn, String key, String format, Object... args) {
    if (warn ? !logger.isWarnEnabled() : !logger.isInfoEnabled()) {
      return false;
    }
    long now = nanoTime.getAsLong();
    Slot slot = slots.computeIfAbsent(key, k -> new Slot(now));
    long next = slot.nextAllowed.get();
    if (now - next < 0 || !slot.nextAllowed.compareAndSet(next, now + intervalNanos)) {
      slot.suppressed.incrementAndGet();
      return false;
    }
    long held = slot.suppressed.getAndSet(0);
    String line = held == 0 ? format : format + " ({} similar since the last such line)";
    Object[] values = held == 0 ? args : append(args, held);
    if (warn) {
      logger.warn(line, values);
    } else {
      logger.info(line, values);
    }
    return true;
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] out = Arrays.copyOf(args, args.length + 1);
    out[args.length] = last;
    return out;
  }
}
