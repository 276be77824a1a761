package dev.sieve.cli.fleet;

import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.LocalTls;
import dev.sieve.cli.support.SieveLayout;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

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

  static Path pidFile(RunFiles files) {
    return files.runDir().resolve(NAME + ".pid");
  }

  static Path portFile(RunFiles files) {
    return files.runDir().resolve(NAME + ".port");
  }

  static Path tierFile(RunFiles files) {
    return files.runDir().resolve(NAME + ".tier");
  }

  static Optional<Long> recordedPid(RunFiles files) {
    return read(pidFile(files)).flatMap(CandidateTierProcess::parseLong);
  }

  static OptionalInt port(RunFiles files) {
    return read(portFile(files))
        .flatMap(CandidateTierProcess::parseLong)
        .map(p -> OptionalInt.of(p.intValue()))
        .orElse(OptionalInt.empty());
  }

  static Optional<String> tier(RunFiles files) {
    return read(tierFile(files));
  }

  /** The recorded candidate process while it runs (and is a Sieve service: pids get reused). */
  static Optional<ProcessHandle> live(RunFiles files) {
    return recordedPid(files)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().map(c -> c.contains("dev.sieve.")).orElse(true));
  }

  static void forget(RunFiles files) {
    try {
      Files.deleteIfExists(pidFile(files));
      Files.deleteIfExists(portFile(files));
      Files.deleteIfExists(tierFile(files));
    } catch (IOException e) {
      // best effort: a stale file is detected as such next time
    }
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
    if (live(files).isPresent()) {
      out.printf(
          "  %-22s already running (pid %d, port %d)%n",
          NAME, recordedPid(files).orElse(-1L), port(files).orElse(grpcPort));
      return 0;
    }
    forget(files);
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
    List<String> command = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      command.add(setsid.toString());
    }
    command.addAll(
        new LaunchSpec(artifact.get(), grpcPort, metricsPort, properties)
            .command(ProcessStarter.currentJava(), layout.home(), bindHost, jvmOptions));
    Files.createDirectories(layout.logsDir());
    Path log = layout.logsDir().resolve(NAME + "-" + spec.tier().tier() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(layout.home().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("SIEVE_") && !k.equals("SIEVE_HOME"));
    builder.environment().put("SIEVE_HOME", layout.home().toString());
    if (new File("/dev/null").exists()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    Files.createDirectories(files.runDir());
    write(portFile(files), Integer.toString(grpcPort));
    write(tierFile(files), spec.tier().tier());
    write(pidFile(files), Long.toString(process.pid()));
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HealthProbe probe = new HealthProbe(HostPort.loopback(grpcPort))) {
      while (System.nanoTime() - deadline < 0) {
        if (!process.isAlive()) {
          return failed(files, "exited with code " + process.exitValue(), log, err);
        }
        if (probe.check(Duration.ofSeconds(1)) == HealthProbe.Health.SERVING) {
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
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
    return failed(files, "was not SERVING within " + timeout.toSeconds() + " s", log, err);
  }

  private static int failed(RunFiles files, String why, Path log, PrintWriter err) {
    forget(files);
    err.println(
        "sieve up: candidate "
            + why
            + "; the fleet is up without it (the router reports no comparisons).");
    err.println("---- last 20 lines of " + log + " ----");
    LogTail.lastLines(log, 20).forEach(line -> err.println("  " + line));
    err.flush();
    return 1;
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void write(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
