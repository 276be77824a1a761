package dev.sieve.cli.batch;

import dev.sieve.core.util.ProgressMode;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long batch on stderr: a redrawn bar on a terminal, a line every 10 s in a log (CI),
 * nothing when turned off. The {@code ./sieve} script tells which via {@code SIEVE_PROGRESS=tty}
 * when stderr is a terminal, because the JVM cannot tell reliably.
 *
 * <p>The terminal bar is the {@code me.tongfei:progressbar} library's (count, percentage, rate,
 * elapsed and ETA; the error count as its extra message). The log line stays our own one-line
 * {@link #render}: the library always draws a bar, and a bar has no place in a CI log, which wants
 * one plain line per interval.
 */
final class ProgressBar implements AutoCloseable {

  private final PrintWriter err;
  private final ProgressMode mode;
  private final long total;
  private final LongSupplier done;
  private final LongSupplier errors;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final me.tongfei.progressbar.ProgressBar bar;
  private boolean closed;

  ProgressBar(
      PrintWriter err, ProgressMode mode, long total, LongSupplier done, LongSupplier errors) {
    this.err = err;
    this.mode = mode;
    this.total = total;
    this.done = done;
    this.errors = errors;
    if (mode == ProgressMode.OFF) {
      this.timer = null;
      this.bar = null;
      return;
    }
    this.bar = mode == ProgressMode.TTY ? terminalBar(err, total) : null;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sieve-progress");
              thread.setDaemon(true);
              return thread;
            });
    long periodMillis = mode == ProgressMode.TTY ? 200 : 10_000;
    timer.scheduleAtFixedRate(this::draw, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * The library's bar, drawn by the library's own refresh thread every 200 ms through {@code err}
   * (picocli's writer, not System.err directly, so that it interleaves with our other messages).
   */
  private static me.tongfei.progressbar.ProgressBar terminalBar(PrintWriter err, long total) {
    ProgressBarConsumer consumer =
        new DelegatingProgressBarConsumer(
            line -> {
              synchronized (err) {
                err.print("\r" + line + "\u001b[K");
                err.flush();
              }
            },
            terminalWidth()) {
          @Override
          public void close() {
            synchronized (err) {
              err.println();
              err.flush();
            }
          }
        };
    return new ProgressBarBuilder()
        .setTaskName("classify")
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .setConsumer(consumer)
        .setUnit(" items", 1)
        .showSpeed(new DecimalFormat("0.0"))
        .setSpeedUnit(ChronoUnit.SECONDS)
        .build();
  }

  /** COLUMNS when the shell exports it, else a width that fits the 100-column terminal. */
  private static int terminalWidth() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private void draw() {
    long completed = done.getAsLong();
    long failed = errors.getAsLong();
    if (bar != null) {
      bar.stepTo(completed);
      bar.setExtraMessage(" errors " + failed);
      return;
    }
    String line = render(completed, failed, (System.nanoTime() - startNanos) / 1e9);
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  /** The log line: count, percentage, rate, ETA and errors, without a bar. */
  String render(long completed, long failed, double seconds) {
    double rate = seconds > 0 ? completed / seconds : 0;
    double fraction = total > 0 ? Math.min(1.0, (double) completed / total) : 0;
    String eta = rate > 0 && total > 0 ? formatSeconds((total - completed) / rate) : "?";
    return String.format(
        Locale.ROOT,
        "%d/%d %5.1f%%  %.1f items/s  ETA %s  errors %d",
        completed,
        total,
        fraction * 100,
        rate,
        eta,
        failed);
  }

  static String formatSeconds(double seconds) {
    long s = Math.round(seconds);
    return s < 60
        ? s + "s"
        : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }

  @Override
  public synchronized void close() {
    if (timer == null || closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (bar != null) {
      // Leave the bar at its final state (the library redraws it once more and ends the line); in
      // a log the summary line that follows says it all.
      draw();
      bar.close();
    }
  }
}
