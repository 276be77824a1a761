package dev.sieve.cli.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code .sieve/run/} directory of a local fleet: {@code <service>.pid} and {@code
 * <service>.port} per started process. Plain one-line files so that shell tools (kill, cat) work on
 * them too.
 */
public final class RunFiles {

  private final Path runDir;

  public RunFiles(Path runDir) {
    this.runDir = runDir;
  }

  public Path runDir() {
    return runDir;
  }

  public Path pidFile(FleetService service) {
    return runDir.resolve(service.serviceName() + ".pid");
  }

  public Path portFile(FleetService service) {
    return runDir.resolve(service.serviceName() + ".port");
  }

  public Path metricsPortFile(FleetService service) {
    return runDir.resolve(service.serviceName() + ".metrics-port");
  }

  public void write(FleetService service, long pid, int port, int metricsPort) throws IOException {
    Files.createDirectories(runDir);
    writeAtomically(portFile(service), Integer.toString(port));
    writeAtomically(metricsPortFile(service), Integer.toString(metricsPort));
    // The pid file last: its presence means "recorded".
    writeAtomically(pidFile(service), Long.toString(pid));
  }

  public Optional<Long> pid(FleetService service) {
    return readLine(pidFile(service)).flatMap(RunFiles::parseLong);
  }

  public OptionalInt port(FleetService service) {
    return readPort(portFile(service));
  }

  public OptionalInt metricsPort(FleetService service) {
    return readPort(metricsPortFile(service));
  }

  private static OptionalInt readPort(Path file) {
    Optional<Long> value = readLine(file).flatMap(RunFiles::parseLong);
    return value.isPresent() && value.get() > 0 && value.get() <= 65_535
        ? OptionalInt.of(value.get().intValue())
        : OptionalInt.empty();
  }

  public void delete(FleetService service) {
    try {
      Files.deleteIfExists(pidFile(service));
      Files.deleteIfExists(portFile(service));
      Files.deleteIfExists(metricsPortFile(service));
    } catch (IOException e) {
      // Best effort: a leftover file is detected as stale on the next run.
    }
  }

  /**
   * The live process recorded for the service, if its pid file names a running process that is
   * really that service (pids get reused after a reboot or a crash).
   */
  public Optional<ProcessHandle> liveProcess(FleetService service) {
    return pid(service)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(h -> isService(h, service));
  }

  /**
   * Whether the process looks like the service: its command line names the main class. When the OS
   * does not tell (other user, exotic platform) the pid file is trusted.
   */
  static boolean isService(ProcessHandle handle, FleetService service) {
    return runsMainClass(handle, service.mainClass());
  }

  /**
   * Whether the process's arguments (or, where they are not visible, its command line) name {@code
   * mainClass}; true when the OS does not tell at all.
   */
  static boolean runsMainClass(ProcessHandle handle, String mainClass) {
    Optional<String[]> arguments = handle.info().arguments();
    if (arguments.isPresent()) {
      for (String argument : arguments.get()) {
        if (argument.equals(mainClass)) {
          return true;
        }
      }
      return false;
    }
    return handle.info().commandLine().map(c -> c.contains(mainClass)).orElse(true);
  }

  static Optional<String> readLine(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<Long> parseLong(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
