package dev.sieve.lab.data.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr for the long steps of a build. Redraws in place on a terminal, and
 * prints at most one line per 10% otherwise (CI logs stay short). Never writes to stdout, which is
 * kept for results.
 */
public final class Progress implements AutoCloseable {

  private static final boolean TTY = System.console() != null;
  private static volatile boolean quiet = Boolean.getBoolean("sieve.quiet");

  private final String label;
  private final long total;
  private final PrintStream err = System.err;
  private final long started = System.nanoTime();
  private long done;
  private long lastDraw;
  private int lastDecile = -1;

  private Progress(String label, long total) {
    this.label = label;
    this.total = Math.max(total, 1);
  }

  public static Progress start(String label, long total) {
    Progress p = new Progress(label, total);
    p.draw(true);
    return p;
  }

  /** Silences all progress output (tests). */
  public static void setQuiet(boolean value) {
    quiet = value;
  }

  public void advance(long n) {
    done += n;
    draw(false);
  }

  public void set(long value) {
    done = value;
    draw(false);
  }

  private void draw(boolean force) {
    if (quiet) {
      return;
    }
    long now = System.nanoTime();
    int pct = (int) Math.min(100, done * 100 / total);
    if (TTY) {
      if (!force && now - lastDraw < 100_000_000L && done < total) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = pct * width / 100;
      err.print(
          String.format(
              Locale.ROOT,
              "\r%-34s [%s%s] %3d%%",
              label,
              "#".repeat(filled),
              " ".repeat(width - filled),
              pct));
      err.flush();
    } else {
      int decile = pct / 10;
      if (force || decile > lastDecile) {
        lastDecile = decile;
        if (force) {
          err.println(String.format(Locale.ROOT, "%s: started", label));
        } else if (decile < 10) {
          err.println(String.format(Locale.ROOT, "%s: %d%%", label, pct));
        }
      }
    }
  }

  @Override
  public void close() {
    if (quiet) {
      return;
    }
    double secs = (System.nanoTime() - started) / 1e9;
    if (TTY) {
      err.print("\r" + " ".repeat(72) + "\r");
    }
    err.println(String.format(Locale.ROOT, "%s: done in %.1fs", label, secs));
  }
}
