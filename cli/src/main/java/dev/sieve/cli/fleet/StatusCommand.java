package dev.sieve.cli.fleet;

import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HealthProbe.Health;
import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.SieveLayout;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve status}: for each service of the local fleet, whether its recorded process is
 * alive, its port, and what grpc.health.v1 says right now.
 */
@Command(
    name = "status",
    description = {
      "Show the local fleet: per service, pid (alive?), port and grpc.health.v1 status.",
      "",
      "Exit code: 0 all recorded services SERVING, 1 something is down or unhealthy, 3 not running."
    },
    mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SieveLayout layout = SieveLayout.fromSettings();
    RunFiles files = new RunFiles(layout.runDir());
    if (FleetState.read(files).isEmpty()) {
      out.println(
          "Sieve is not running (no pid files in "
              + layout.runDir()
              + "). Start it with ./sieve up");
      out.flush();
      return 3;
    }
    boolean healthy = printTable(layout, files, out);
    out.flush();
    return healthy ? 0 : 1;
  }

  /**
   * Prints one line per service (recorded or not).
   *
   * @return true when every recorded service is alive and SERVING
   */
  public static boolean printTable(SieveLayout layout, RunFiles files, PrintWriter out) {
    FleetState state = FleetState.read(files);
    boolean healthy = true;
    out.printf(
        "  %-22s %-8s %-8s %-6s %-18s %-8s %s%n",
        "SERVICE", "TIER", "PID", "ALIVE", "ENDPOINT", "METRICS", "HEALTH");
    for (FleetService service :
        new FleetService[] {
          FleetService.ROUTER, FleetService.URL, FleetService.CONTENT, FleetService.LLM
        }) {
      String tier = service.isTier() ? service.tier() : "-";
      Optional<FleetState.Recorded> recorded = state.get(service);
      if (recorded.isEmpty()) {
        out.printf(
            "  %-22s %-8s %-8s %-6s %-18s %-8s %s%n",
            service.serviceName(), tier, "-", "-", "-", "-", "not started");
        continue;
      }
      FleetState.Recorded r = recorded.get();
      String endpoint =
          r.port().isPresent() ? HostPort.loopback(r.port().getAsInt()).toString() : "?";
      String health;
      if (!r.alive()) {
        health =
            "DEAD (stale pid file; see "
                + UpCommand.display(layout.logsDir().resolve(service.serviceName() + ".log"))
                + ")";
        healthy = false;
      } else if (r.port().isEmpty()) {
        health = "UNKNOWN (no port file)";
        healthy = false;
      } else {
        try (HealthProbe probe = new HealthProbe(HostPort.loopback(r.port().getAsInt()))) {
          Health h = probe.check(Duration.ofSeconds(5));
          health = h.name();
          healthy &= h == Health.SERVING;
        }
      }
      String metrics =
          files.metricsPort(service).isPresent()
              ? Integer.toString(files.metricsPort(service).getAsInt())
              : "-";
      out.printf(
          "  %-22s %-8s %-8d %-6s %-18s %-8s %s%n",
          service.serviceName(),
          tier,
          r.pid(),
          r.alive() ? "yes" : "no",
          endpoint,
          metrics,
          health);
    }
    Optional<Long> candidatePid = CandidateTierProcess.PROCESS.recordedPid(files);
    if (candidatePid.isPresent()) {
      boolean alive = CandidateTierProcess.PROCESS.live(files).isPresent();
      OptionalInt port = CandidateTierProcess.PROCESS.port(files);
      String health = alive ? "RUNNING (candidate)" : "DEAD";
      healthy &= alive;
      out.printf(
          "  %-22s %-8s %-8d %-6s %-18s %-8s %s%n",
          CandidateTierProcess.NAME,
          CandidateTierProcess.tier(files).orElse("?"),
          candidatePid.get(),
          alive ? "yes" : "no",
          port.isPresent() ? "127.0.0.1:" + port.getAsInt() : "?",
          "-",
          health);
    }
    Optional<Long> adapterPid = IcapAdapterProcess.PROCESS.recordedPid(files);
    if (adapterPid.isPresent()) {
      boolean alive = IcapAdapterProcess.PROCESS.live(files).isPresent();
      OptionalInt port = IcapAdapterProcess.PROCESS.port(files);
      String health =
          !alive
              ? "DEAD (see "
                  + UpCommand.display(layout.logsDir().resolve(IcapAdapterProcess.NAME + ".log"))
                  + ")"
              : port.isPresent() && IcapAdapterProcess.answersOptions(port.getAsInt())
                  ? "ICAP OPTIONS 200"
                  : "NOT ANSWERING ICAP";
      healthy &= health.equals("ICAP OPTIONS 200");
      out.printf(
          "  %-22s %-8s %-8d %-6s %-18s %-8s %s%n",
          IcapAdapterProcess.NAME,
          "-",
          adapterPid.get(),
          alive ? "yes" : "no",
          port.isPresent() ? "icap://127.0.0.1:" + port.getAsInt() : "?",
          "-",
          health);
    }
    Optional<Long> annotatePid = AnnotateProcess.PROCESS.recordedPid(files);
    if (annotatePid.isPresent()) {
      boolean alive = AnnotateProcess.PROCESS.live(files).isPresent();
      OptionalInt port = AnnotateProcess.PROCESS.port(files);
      String health =
          !alive
              ? "DEAD (see "
                  + UpCommand.display(layout.logsDir().resolve(AnnotateProcess.NAME + ".log"))
                  + ")"
              : port.isPresent() && AnnotateProcess.healthy(port.getAsInt())
                  ? "HTTP 200 (feedback gRPC :" + AnnotateProcess.grpcPort(files).orElse(-1) + ")"
                  : "NOT ANSWERING HTTP";
      healthy &= health.startsWith("HTTP 200");
      out.printf(
          "  %-22s %-8s %-8d %-6s %-18s %-8s %s%n",
          AnnotateProcess.NAME,
          "-",
          annotatePid.get(),
          alive ? "yes" : "no",
          port.isPresent() ? "http://127.0.0.1:" + port.getAsInt() : "?",
          "-",
          health);
    }
    return healthy;
  }
}
