package dev.sieve.cli.batch;

import dev.sieve.core.util.Settings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a long batch on stderr: a redrawn bar on a terminal, a line every 10 s in a log (CI),
 * nothing when turned off. The {@code ./sieve} script tells which via {@code SIEVE_PROGRESS=tty}
 * when stderr is a terminal, because the JVM cannot tell reliably.
 */
final class ProgressBar implements AutoCloseable {

  /** How progress is shown. */
  enum Mode {
    TTY,
    PLAIN,
    OFF;

    static Mode fromSettings() {
      return switch (Settings.get("SIEVE_PROGRESS", "plain").toLowerCase(Locale.ROOT)) {
        case "tty" -> TTY;
        case "off", "none", "false" -> OFF;
        default -> PLAIN;
      };
    }
  }

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final Mode mode;
  private final long total;
  private final LongSupplier done;
  private final LongSupplier errors;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private boolean closed;

  ProgressBar(PrintWriter err, Mode mode, long total, LongSupplier done, LongSupplier errors) {
    this.err = err;
    this.mode = mode;
    this.total = total;
    this.done = done;
    this.errors = errors;
    if (mode == Mode.OFF) {
      this.timer = null;
      return;
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sieve-progress");
              thread.setDaemon(true);
              return thread;
            });
    long periodMillis = mode == Mode.TTY ? 200 : 10_000;
    timer.scheduleAtFixedRate(this::draw, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void draw() {
    String line =
        render(done.getAsLong(), errors.getAsLong(), (System.nanoTime() - startNanos) / 1e9);
    synchronized (err) {
      if (mode == Mode.TTY) {
        err.print("\r" + line + "\u001b[K");
      } else {
        err.println(line);
      }
      err.flush();
    }
  }

  String render(long completed, long failed, double seconds) {
    double rate = seconds > 0 ? completed / seconds : 0;
    double fraction = total > 0 ? Math.min(1.0, (double) completed / total) : 0;
    String eta = rate > 0 && total > 0 ? formatSeconds((total - completed) / rate) : "?";
    StringBuilder bar = new StringBuilder();
    if (mode == Mode.TTY) {
      int filled = (int) Math.round(fraction * WIDTH);
      bar.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
    }
    return bar
        + String.format(
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
    if (mode == Mode.TTY) {
      // Leave the bar at its final state; in a log the summary line that follows says it all.
      draw();
      synchronized (err) {
        err.println();
        err.flush();
      }
    }
  }
}
