package dev.sieve.cli.fleet;

import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.LocalTls;
import dev.sieve.cli.support.SieveLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate version of a tier next to a local fleet ({@code ./sieve up --candidate
 * content=<model dir> --candidate-mode shadow --candidate-sample 0.2}, #15): the same service as
 * the serving tier, started from another model directory on its own ports, which the router reaches
 * through its SIEVE_CANDIDATE_* settings (docs/operations.md, "Shadow and canary").
 *
 * <p>Not a {@link FleetService}: the fleet's run files and logs are per service and the candidate
 * is a second process of the same service. Files: {@code .sieve/run/candidate.pid|.port|.tier}, log
 * {@code .sieve/logs/candidate-<tier>.log}. Started after the router (whose channel to it connects
 * lazily), stopped first by {@code ./sieve down}.
 */
final class CandidateTierProcess {

  static final String NAME = "candidate";

  /** Its run files, liveness and stop-side plumbing ({@code ./sieve down}, {@code status}). */
  static final CompanionProcess PROCESS =
      new CompanionProcess(
          NAME,
          h -> h.info().commandLine().map(c -> c.contains("dev.sieve.")).orElse(true),
          "port",
          "tier");

  private CandidateTierProcess() {}

  /** A parsed {@code --candidate TIER=DIR}. */
  record Spec(FleetService tier, Path modelDir) {

    /** Parses {@code TIER=DIR}; empty with the reason on {@code err} when it is not valid. */
    static Optional<Spec> parse(String value, PrintWriter err) {
      int eq = value.indexOf('=');
      if (eq <= 0 || eq == value.length() - 1) {
        err.println(
            "sieve up: --candidate wants TIER=MODEL_DIR (e.g. content=models/content-minilm-mlp/20261125-8224cdad), got '"
                + value
                + "'");
        return Optional.empty();
      }
      String tierName = value.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      Optional<FleetService> tier = FleetService.forTier(tierName);
      if (tier.isEmpty()) {
        err.println("sieve up: --candidate: unknown tier '" + tierName + "' (url, content or llm)");
        return Optional.empty();
      }
      Path dir = Path.of(value.substring(eq + 1).strip()).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        err.println("sieve up: --candidate: model directory " + dir + " does not exist");
        return Optional.empty();
      }
      return Optional.of(new Spec(tier.get(), dir));
    }

    /**
     * The -D settings that make the tier's service serve {@link #modelDir()} instead of RELEASED.
     */
    Map<String, String> modelProperties() {
      return switch (tier) {
        case URL -> Map.of("sieve.url.model.dir", modelDir.toString());
        case CONTENT -> Map.of("sieve.content.model.dir", modelDir.toString());
        case LLM ->
            Map.of("sieve.llm.calibration", modelDir.resolve("calibration.json").toString());
        default -> throw new IllegalStateException("not a tier: " + tier);
      };
    }
  }

  static Optional<String> tier(RunFiles files) {
    return PROCESS.recorded(files, "tier");
  }

  /**
   * Starts the candidate and waits until its gRPC health says SERVING.
   *
   * @return 0 when it serves (or already ran), 1 otherwise (with the reason and its log tail)
   */
  static int start(
      SieveLayout layout,
      RunFiles files,
      Spec spec,
      int grpcPort,
      int metricsPort,
      String bindHost,
      List<String> jvmOptions,
      Duration timeout,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    if (PROCESS.live(files).isPresent()) {
      out.printf(
          "  %-22s already running (pid %d, port %d)%n",
          NAME, PROCESS.recordedPid(files).orElse(-1L), PROCESS.port(files).orElse(grpcPort));
      return 0;
    }
    PROCESS.forget(files);
    String[] why = new String[1];
    Optional<ServiceArtifact> artifact =
        ServiceArtifact.locate(spec.tier(), layout.buildRoot(), why);
    if (artifact.isEmpty()) {
      err.println(
          "sieve up: --candidate: "
              + spec.tier().serviceName()
              + " is "
              + why[0]
              + "; the fleet is up without a candidate.");
      return 1;
    }
    if (!PortCheck.isFree(bindHost, grpcPort) || !PortCheck.isFree(bindHost, metricsPort)) {
      err.printf(
          "sieve up: port %d or %d (candidate) is already in use on %s; pick others with --candidate-port and"
              + " --candidate-metrics-port. The fleet is up without a candidate.%n",
          grpcPort, metricsPort, bindHost);
      return 1;
    }
    Map<String, String> properties = new HashMap<>(spec.modelProperties());
    LocalTls tls = LocalTls.of(layout);
    if (tls.enabled()) {
      properties.putAll(tls.serviceProperties(spec.tier().serviceName(), false));
    }
    List<String> command = new ArrayList<>(CompanionProcess.setsid());
    command.addAll(
        new LaunchSpec(artifact.get(), grpcPort, metricsPort, properties)
            .command(ProcessStarter.currentJava(), layout.home(), bindHost, jvmOptions));
    Path log = layout.logsDir().resolve(NAME + "-" + spec.tier().tier() + ".log");
    Process process =
        PROCESS.launch(
            files,
            command,
            layout.home(),
            log,
            false,
            env -> {
              env.keySet().removeIf(k -> k.startsWith("SIEVE_") && !k.equals("SIEVE_HOME"));
              env.put("SIEVE_HOME", layout.home().toString());
            },
            Map.of("port", Integer.toString(grpcPort), "tier", spec.tier().tier()));
    Optional<String> notReady;
    try (HealthProbe probe = new HealthProbe(HostPort.loopback(grpcPort))) {
      notReady =
          CompanionProcess.awaitReady(
              process,
              timeout,
              Duration.ofMillis(250),
              "was not SERVING",
              () -> probe.check(Duration.ofSeconds(1)) == HealthProbe.Health.SERVING);
    }
    if (notReady.isPresent()) {
      return PROCESS.failed(
          files,
          notReady.get(),
          "the fleet is up without it (the router reports no comparisons).",
          log,
          err);
    }
    out.printf(
        "  %-22s pid %-8d port %-6d %s from %s   log %s%n",
        NAME + " (" + spec.tier().tier() + ")",
        process.pid(),
        grpcPort,
        spec.tier().serviceName(),
        UpCommand.display(spec.modelDir()),
        UpCommand.display(log));
    out.flush();
    return 0;
  }
}
