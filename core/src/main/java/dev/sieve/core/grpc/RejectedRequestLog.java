package dev.sieve.core.grpc;

import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per interval for requests refused before they reach a service (a message that does
 * not parse, one over the size limit), with the count per status and the latest reason — never a
 * stack trace.
 *
 * <p>Why: such requests are the client's fault, cost the server nothing to refuse, and can arrive
 * by the thousand (a fuzzer, a broken proxy). grpc-java logs each oversized message with a 3.7 KB
 * stack trace; one line per request, let alone a trace, would let any client flood the log. The
 * first rejection is logged at once (an operator sees the problem start); later ones are summed and
 * summarized at most once per interval, and a burst's tail is flushed one interval after it.
 */
public final class RejectedRequestLog {

  /** The interval between two summary lines of the process-wide log. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(RejectedRequestLog.class);
  private static final RejectedRequestLog SHARED =
      new RejectedRequestLog(DEFAULT_INTERVAL, System::nanoTime, log::warn, true);

  private final long intervalNanos;
  private final LongSupplier clock;
  private final Consumer<String> sink;
  private final ScheduledExecutorService flusher;
  private final AtomicLong total = new AtomicLong();
  private final Map<String, Long> pending = new TreeMap<>();
  private String latest;
  private long lastLineNanos;
  private boolean anyLine;
  private boolean flushScheduled;

  RejectedRequestLog(
      Duration interval, LongSupplier clock, Consumer<String> sink, boolean flushInBackground) {
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
    this.sink = sink;
    this.flusher =
        flushInBackground
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "sieve-rejected-request-log");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /** The process-wide log every Sieve gRPC server reports to. */
  public static RejectedRequestLog shared() {
    return SHARED;
  }

  /**
   * Counts one refused request.
   *
   * @param code the status the client got
   * @param reason what was wrong, one line (no request content beyond what a parser says)
   */
  public void record(Status.Code code, String reason) {
    total.incrementAndGet();
    String line = null;
    synchronized (this) {
      pending.merge(code.name(), 1L, Long::sum);
      latest = code.name() + " " + (reason == null ? "" : oneLine(reason));
      long now = clock.getAsLong();
      if (!anyLine || now - lastLineNanos >= intervalNanos) {
        line = takeLine(now);
      } else if (flusher != null && !flushScheduled) {
        flushScheduled = true;
        long delay = Math.max(0, lastLineNanos + intervalNanos - now);
        flusher.schedule(this::flush, delay, TimeUnit.NANOSECONDS);
      }
    }
    if (line != null) {
      sink.accept(line);
    }
  }

  /** Writes the summary of rejections not yet logged, if any. */
  public void flush() {
    String line;
    synchronized (this) {
      flushScheduled = false;
      line = pending.isEmpty() ? null : takeLine(clock.getAsLong());
    }
    if (line != null) {
      sink.accept(line);
    }
  }

  /** Requests refused since the process started (for tests and diagnostics). */
  public long total() {
    return total.get();
  }

  private String takeLine(long now) {
    long count = pending.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder line =
        new StringBuilder("refused ")
            .append(count)
            .append(
                count == 1
                    ? " malformed or oversized request"
                    : " malformed or oversized requests");
    if (anyLine) {
      line.append(String.format(Locale.ROOT, " in the last %.0f s", (now - lastLineNanos) / 1e9));
    }
    line.append(" (");
    boolean first = true;
    for (Map.Entry<String, Long> entry : pending.entrySet()) {
      line.append(first ? "" : ", ").append(entry.getKey()).append(' ').append(entry.getValue());
      first = false;
    }
    line.append("); latest: ").append(latest);
    if (!anyLine) {
      line.append(
          String.format(
              Locale.ROOT,
              " (further refusals: one summary line per %d s)",
              intervalNanos / 1_000_000_000L));
    }
    pending.clear();
    lastLineNanos = now;
    anyLine = true;
    return line.toString();
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }
}
