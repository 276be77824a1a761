package dev.sieve.cli.fleet;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops service processes the way they expect: SIGTERM first (their shutdown hooks flip health to
 * NOT_SERVING and drain in-flight calls), then SIGKILL if they are still there after the grace
 * period.
 */
public final class ProcessStopper {

  private ProcessStopper() {}

  /** A process to stop, with the name used in messages. */
  public record Target(String name, ProcessHandle handle) {}

  /**
   * Sends SIGTERM to all targets at once, waits up to {@code grace} for all of them together, then
   * kills the rest.
   *
   * @return true when every process is gone
   */
  public static boolean stop(List<Target> targets, Duration grace, PrintWriter out) {
    long start = System.nanoTime();
    for (Target target : targets) {
      if (target.handle().isAlive()) {
        target.handle().destroy();
      }
    }
    boolean allGone = true;
    for (Target target : targets) {
      long remaining = grace.toNanos() - (System.nanoTime() - start);
      boolean exited = await(target.handle(), Math.max(remaining, 0));
      if (exited) {
        if (out != null) {
          out.printf(
              "  stopped %-22s (pid %d) in %.1f s%n",
              target.name(), target.handle().pid(), seconds(start));
        }
        continue;
      }
      target.handle().destroyForcibly();
      boolean killed = await(target.handle(), TimeUnit.SECONDS.toNanos(5));
      if (out != null) {
        out.printf(
            "  %s %-22s (pid %d): did not stop within %d s after SIGTERM%n",
            killed ? "killed" : "COULD NOT KILL",
            target.name(),
            target.handle().pid(),
            grace.toSeconds());
      }
      allGone &= killed;
    }
    if (out != null) {
      out.flush();
    }
    return allGone;
  }

  private static boolean await(ProcessHandle handle, long nanos) {
    if (!handle.isAlive()) {
      return true;
    }
    CompletableFuture<ProcessHandle> exit = handle.onExit();
    try {
      exit.get(nanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return !handle.isAlive();
    } catch (ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
