package dev.sieve.lab.data.io;

import dev.sieve.core.util.ProgressMode;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of the long steps of a build on stderr, never stdout (kept for results). On a terminal
 * it is the {@code me.tongfei:progressbar} library's bar, redrawn in place; otherwise (a CI log)
 * one line when the step starts and one per 10 %, no bar. Either way a step ends with the line
 * "{@code <label>: done in <seconds>s}".
 *
 * <p>Terminal, log or silent: core's {@link ProgressMode} (one reading of {@code SIEVE_PROGRESS}
 * for every progress display). The log lines stay our own: the library always draws a bar, which
 * has no place in a log.
 */
public final class Progress implements AutoCloseable {

  private static final ProgressMode MODE = ProgressMode.fromSettings();
  private static final boolean TTY = MODE == ProgressMode.TTY;
  private static volatile boolean quiet =
      Boolean.getBoolean("sieve.quiet") || MODE == ProgressMode.OFF;

  private final String label;
  private final long total;
  private final PrintStream err = System.err;
  private final long started = System.nanoTime();
  private final ProgressBar bar;
  private long done;
  private int lastDecile = 0;

  private Progress(String label, long total) {
    this.label = label;
    this.total = Math.max(total, 1);
    this.bar =
        quiet || !TTY
            ? null
            : new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(this.total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .hideEta()
                .clearDisplayOnFinish()
                .build();
  }

  public static Progress start(String label, long total) {
    Progress p = new Progress(label, total);
    if (!quiet && p.bar == null) {
      p.err.println(String.format(Locale.ROOT, "%s: started", label));
    }
    return p;
  }

  /** Silences all progress output (tests). */
  public static void setQuiet(boolean value) {
    quiet = value;
  }

  public void advance(long n) {
    set(done + n);
  }

  public void set(long value) {
    done = value;
    if (quiet) {
      return;
    }
    if (bar != null) {
      bar.stepTo(Math.min(done, total));
      return;
    }
    int pct = (int) Math.min(100, done * 100 / total);
    int decile = pct / 10;
    if (decile > lastDecile) {
      lastDecile = decile;
      if (decile < 10) {
        err.println(String.format(Locale.ROOT, "%s: %d%%", label, pct));
      }
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
    if (quiet) {
      return;
    }
    double secs = (System.nanoTime() - started) / 1e9;
    err.println(String.format(Locale.ROOT, "%s: done in %.1fs", label, secs));
  }
}
