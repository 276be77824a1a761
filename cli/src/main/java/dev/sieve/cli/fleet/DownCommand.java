package dev.sieve.cli.fleet;

import dev.sieve.cli.support.DurationConverter;
import dev.sieve.cli.support.SieveLayout;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve down}: stops the local fleet cleanly. The router goes first (it stops taking
 * traffic while the tiers can still answer its in-flight calls), then the tiers together. Each gets
 * SIGTERM (graceful drain in its shutdown hook) and, after the grace period, SIGKILL.
 */
@Command(
    name = "down",
    description =
        "Stop the local fleet started by ./sieve up (SIGTERM, then SIGKILL after --timeout).",
    mixinStandardHelpOptions = true)
public final class DownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "Grace period per stage before SIGKILL (default: 30s).")
  Duration timeout = Duration.ofSeconds(30);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SieveLayout layout = SieveLayout.fromSettings();
    RunFiles files = new RunFiles(layout.runDir());
    Optional<FleetLock> lock = FleetLock.tryAcquire(layout.runDir());
    if (lock.isEmpty()) {
      err.println(
          "sieve down: another `./sieve up` or `./sieve down` is running (lock "
              + layout.runDir().resolve(".lock")
              + ")");
      return 1;
    }
    try (FleetLock held = lock.get()) {
      // The annotation app and the ICAP adapter first: they are not part of the router's fleet.
      // The candidate tier next (./sieve up --candidate): the router only compares with it.
      boolean appOrAdapterRan =
          AnnotateProcess.PROCESS.live(files).isPresent()
              || IcapAdapterProcess.PROCESS.live(files).isPresent();
      boolean companionsGone =
          stopCompanion(AnnotateProcess.PROCESS, "the annotation app", files, out);
      companionsGone &= stopCompanion(IcapAdapterProcess.PROCESS, "the ICAP adapter", files, out);
      companionsGone &=
          stopCompanion(CandidateTierProcess.PROCESS, "the candidate tier", files, out);
      FleetState state = FleetState.read(files);
      for (FleetState.Recorded stale : state.stale()) {
        out.printf(
            "  %-22s (pid %d) was not running; removed its pid file%n",
            stale.service().serviceName(), stale.pid());
        files.delete(stale.service());
      }
      if (state.alive().isEmpty()) {
        out.println(appOrAdapterRan ? "Sieve is down." : "Sieve is not running.");
        out.flush();
        return companionsGone ? 0 : 1;
      }
      out.println("Stopping Sieve ...");
      boolean allGone = companionsGone;
      List<ProcessStopper.Target> routerStage = new ArrayList<>();
      List<ProcessStopper.Target> tierStage = new ArrayList<>();
      for (FleetState.Recorded r : state.alive()) {
        ProcessStopper.Target target =
            new ProcessStopper.Target(r.service().serviceName(), r.live().orElseThrow());
        (r.service() == FleetService.ROUTER ? routerStage : tierStage).add(target);
      }
      allGone &= ProcessStopper.stop(routerStage, timeout, out);
      allGone &= ProcessStopper.stop(tierStage, timeout, out);
      for (FleetState.Recorded r : state.alive()) {
        if (!r.live().orElseThrow().isAlive()) {
          files.delete(r.service());
        }
      }
      out.println(
          allGone
              ? "Sieve is down."
              : "Some processes could not be stopped; their pid files are kept.");
      out.flush();
      return allGone ? 0 : 1;
    }
  }

  /**
   * Stops the companion if it runs and forgets its run files once it is gone.
   *
   * @return whether it is gone (or was not running)
   */
  private boolean stopCompanion(
      CompanionProcess companion, String what, RunFiles files, PrintWriter out) {
    Optional<ProcessHandle> live = companion.live(files);
    boolean gone = true;
    if (live.isPresent()) {
      out.println("Stopping " + what + " ...");
      gone =
          ProcessStopper.stop(
              List.of(new ProcessStopper.Target(companion.name(), live.get())), timeout, out);
    }
    if (gone) {
      companion.forget(files);
    }
    return gone;
  }
}
