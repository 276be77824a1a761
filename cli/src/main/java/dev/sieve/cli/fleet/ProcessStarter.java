package dev.sieve.cli.fleet;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a service as a detached background process: its own session (via {@code setsid} when
 * available, so closing the terminal or pressing Ctrl-C later does not kill the fleet), stdin from
 * /dev/null, stdout and stderr to {@code .sieve/logs/<service>.log}.
 */
public final class ProcessStarter {

  /** Settings a service would otherwise inherit from the user's environment and misread. */
  private static final List<String> SCRUBBED_ENV =
      List.of(
          "SIEVE_GRPC_PORT",
          "SIEVE_METRICS_PORT",
          "SIEVE_BIND_HOST",
          "SIEVE_URL_TIER_TARGET",
          "SIEVE_CONTENT_TIER_TARGET",
          "SIEVE_LLM_TIER_TARGET",
          "SIEVE_POLICY_FILE");

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final File DEV_NULL = new File("/dev/null");

  private final Path javaBinary;
  private final Path home;
  private final Path logsDir;
  private final String bindHost;
  private final List<String> jvmOptions;

  public ProcessStarter(
      Path javaBinary, Path home, Path logsDir, String bindHost, List<String> jvmOptions) {
    this.javaBinary = javaBinary;
    this.home = home;
    this.logsDir = logsDir;
    this.bindHost = bindHost;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The java executable of the running JVM. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  public Path logFile(FleetService service) {
    return logsDir.resolve(service.serviceName() + ".log");
  }

  public Process start(LaunchSpec spec) throws IOException {
    Files.createDirectories(logsDir);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      // setsid execs in place (the child of the JVM is never a process-group leader), so the pid
      // we record is the service's own pid.
      command.add(SETSID.toString());
    }
    command.addAll(spec.command(javaBinary, home, bindHost, jvmOptions));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = builder.environment();
    SCRUBBED_ENV.forEach(env::remove);
    env.put("SIEVE_HOME", home.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.to(logFile(spec.service()).toFile()));
    if (DEV_NULL.exists()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    Process process = builder.start();
    if (!DEV_NULL.exists()) {
      process.getOutputStream().close();
    }
    return process;
  }
}
