package dev.sieve.cli.fleet;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A process that {@code ./sieve up} starts next to the fleet's {@link FleetService}s (the
 * annotation app, the ICAP adapter, a candidate tier) and {@code ./sieve down} stops first: the
 * start, readiness-wait, run-file and failure-report plumbing they share, so that each of them only
 * says how it is launched and what "ready" means.
 *
 * <p>Run files are {@code .sieve/run/<name>.pid} plus one file per extra {@code suffix} ({@code
 * <name>.port}, …): plain one-line files, like {@link RunFiles}, so that shell tools work on them.
 * The process runs detached (its own session via {@code setsid} when available), stdin from
 * /dev/null, stdout and stderr to its log.
 */
final class CompanionProcess {

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final File DEV_NULL = new File("/dev/null");

  private final String name;
  private final List<String> runFileSuffixes;
  private final Predicate<ProcessHandle> isOurs;

  /**
   * @param name the name in run files, logs and messages
   * @param isOurs whether a live process is this companion: pids get reused, so a recorded pid
   *     alone proves nothing
   * @param runFileSuffixes the run files besides {@code .pid} ({@code "port"} for {@code
   *     <name>.port})
   */
  CompanionProcess(String name, Predicate<ProcessHandle> isOurs, String... runFileSuffixes) {
    this.name = name;
    this.isOurs = isOurs;
    this.runFileSuffixes = List.of(runFileSuffixes);
  }

  /**
   * A companion recognised by its main class among its arguments (or in its command line where the
   * arguments are not visible).
   */
  static CompanionProcess withMainClass(String name, String mainClass, String... runFileSuffixes) {
    return new CompanionProcess(name, h -> RunFiles.runsMainClass(h, mainClass), runFileSuffixes);
  }

  String name() {
    return name;
  }

  Path runFile(RunFiles files, String suffix) {
    return files.runDir().resolve(name + "." + suffix);
  }

  Path pidFile(RunFiles files) {
    return runFile(files, "pid");
  }

  /** The recorded pid, if any (alive or not). */
  Optional<Long> recordedPid(RunFiles files) {
    return RunFiles.readLine(pidFile(files)).flatMap(RunFiles::parseLong);
  }

  /** The recorded port ({@code <name>.port}), if any. */
  OptionalInt port(RunFiles files) {
    return recordedInt(files, "port");
  }

  /** A number recorded in {@code <name>.<suffix>} (a port), if any. */
  OptionalInt recordedInt(RunFiles files, String suffix) {
    return RunFiles.readLine(runFile(files, suffix))
        .flatMap(RunFiles::parseLong)
        .map(p -> OptionalInt.of(p.intValue()))
        .orElse(OptionalInt.empty());
  }

  /** The text recorded in {@code <name>.<suffix>}, if any. */
  Optional<String> recorded(RunFiles files, String suffix) {
    return RunFiles.readLine(runFile(files, suffix));
  }

  /** The recorded process while it runs and really is this companion. */
  Optional<ProcessHandle> live(RunFiles files) {
    return recordedPid(files)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(isOurs);
  }

  /** Deletes the run files (best effort: a stale file is detected as such next time). */
  void forget(RunFiles files) {
    try {
      Files.deleteIfExists(pidFile(files));
      for (String suffix : runFileSuffixes) {
        Files.deleteIfExists(runFile(files, suffix));
      }
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * {@code setsid} (when available), then the running JVM's java and the options every Sieve
   * process gets.
   */
  static List<String> javaCommand(List<String> jvmOptions) {
    List<String> command = new ArrayList<>(setsid());
    command.add(ProcessStarter.currentJava().toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    return command;
  }

  /**
   * {@code setsid} when available: it execs in place, so the pid we record is the process's own.
   */
  static List<String> setsid() {
    return Files.isExecutable(SETSID) ? List.of(SETSID.toString()) : List.of();
  }

  /**
   * Starts {@code command} detached in {@code workDir} with its output in {@code log}, then records
   * {@code runFileValues} (suffix to value) and last the pid (whose file says "started").
   *
   * @param appendLog append to the log rather than start it afresh
   * @param environment edits the inherited environment (drop settings the process would misread)
   */
  Process launch(
      RunFiles files,
      List<String> command,
      Path workDir,
      Path log,
      boolean appendLog,
      Consumer<Map<String, String>> environment,
      Map<String, String> runFileValues)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                appendLog
                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(log.toFile()));
    environment.accept(builder.environment());
    if (DEV_NULL.exists()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    Process process = builder.start();
    Files.createDirectories(files.runDir());
    for (Map.Entry<String, String> value : runFileValues.entrySet()) {
      RunFiles.writeAtomically(runFile(files, value.getKey()), value.getValue());
    }
    RunFiles.writeAtomically(pidFile(files), Long.toString(process.pid()));
    return process;
  }

  /**
   * Polls {@code ready} every {@code poll} until it says yes, the process exits, or {@code timeout}
   * passes (an interrupt counts as the timeout); on a timeout the process is asked to stop.
   *
   * @param notReady what a timeout means, for the message ("did not answer /healthz")
   * @return empty when ready, else why not ("exited with code 1", "did not answer /healthz within
   *     60 s")
   */
  static Optional<String> awaitReady(
      Process process, Duration timeout, Duration poll, String notReady, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        return Optional.of("exited with code " + process.exitValue());
      }
      if (ready.getAsBoolean()) {
        return Optional.empty();
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroy();
    return Optional.of(notReady + " within " + timeout.toSeconds() + " s");
  }

  /**
   * Forgets the run files and says on {@code err} why the companion is not running, what that means
   * for the fleet, and the last lines of its log.
   *
   * @return 1, the exit status of a failed start
   */
  int failed(RunFiles files, String why, String consequence, Path log, PrintWriter err) {
    forget(files);
    err.println("sieve up: " + name + " " + why + "; " + consequence);
    err.println("---- last 20 lines of " + log + " ----");
    LogTail.lastLines(log, 20).forEach(line -> err.println("  " + line));
    err.flush();
    return 1;
  }
}
