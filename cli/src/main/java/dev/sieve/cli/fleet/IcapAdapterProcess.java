package dev.sieve.cli.fleet;

import dev.sieve.cli.support.LocalTls;
import dev.sieve.cli.support.SieveLayout;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ICAP adapter next to a local fleet ({@code ./sieve up --icap-port PORT},
 * docs/integrations.md). Not a {@link FleetService}: it is not a gRPC server (no grpc.health.v1)
 * but a client of the router, so it is started after the router is SERVING, "ready" means it
 * answers an ICAP OPTIONS, and {@code down} stops it first. Files: {@code
 * .sieve/run/icap-adapter.pid|.port}, log {@code .sieve/logs/icap-adapter.log}.
 */
final class IcapAdapterProcess {

  static final String NAME = "icap-adapter";
  static final String MAIN_CLASS = "dev.sieve.icap.IcapAdapterMain";
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private IcapAdapterProcess() {}

  static Path pidFile(RunFiles files) {
    return files.runDir().resolve(NAME + ".pid");
  }

  static Path portFile(RunFiles files) {
    return files.runDir().resolve(NAME + ".port");
  }

  /** The recorded pid, if any (alive or not). */
  static Optional<Long> recordedPid(RunFiles files) {
    return read(pidFile(files)).flatMap(IcapAdapterProcess::parse);
  }

  static OptionalInt port(RunFiles files) {
    return read(portFile(files))
        .flatMap(IcapAdapterProcess::parse)
        .map(p -> OptionalInt.of(p.intValue()))
        .orElse(OptionalInt.empty());
  }

  /** The recorded adapter process while it runs (and really is the adapter: pids get reused). */
  static Optional<ProcessHandle> live(RunFiles files) {
    return recordedPid(files)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(
            h -> {
              Optional<String[]> arguments = h.info().arguments();
              if (arguments.isPresent()) {
                return List.of(arguments.get()).contains(MAIN_CLASS);
              }
              return h.info().commandLine().map(c -> c.contains(MAIN_CLASS)).orElse(true);
            });
  }

  static void forget(RunFiles files) {
    try {
      Files.deleteIfExists(pidFile(files));
      Files.deleteIfExists(portFile(files));
    } catch (IOException e) {
      // best effort: a stale file is detected as such next time
    }
  }

  /**
   * Starts the adapter pointed at the router on {@code routerPort} and waits until it answers
   * OPTIONS.
   *
   * @return 0 when it answers (or already ran), 1 otherwise (with the reason and its log tail on
   *     err)
   */
  static int start(
      SieveLayout layout,
      RunFiles files,
      int icapPort,
      int routerPort,
      String bindHost,
      List<String> jvmOptions,
      Duration timeout,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    if (live(files).isPresent()) {
      out.printf(
          "  %-22s already running (pid %d, icap://%s:%d/reqmod)%n",
          NAME, recordedPid(files).orElse(-1L), bindHost, port(files).orElse(icapPort));
      return 0;
    }
    forget(files);
    Path target = layout.buildRoot().resolve("icap-adapter/target");
    Optional<Path> jar = ServiceArtifact.findJar(target, "sieve-icap-adapter");
    if (jar.isEmpty()) {
      err.println(
          "sieve up: --icap-port: the icap adapter is not built (no "
              + target.resolve("sieve-icap-adapter-*.jar")
              + "); build it: ./mvnw -B -q package -DskipTests. The fleet is up without it.");
      return 1;
    }
    if (!PortCheck.isFree(bindHost, icapPort)) {
      err.printf(
          "sieve up: port %d (icap-adapter) is already in use on %s; pick another with --icap-port. The fleet is up without it.%n",
          icapPort, bindHost);
      return 1;
    }
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.add(ProcessStarter.currentJava().toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-Dsieve.icap.port=" + icapPort);
    command.add("-Dsieve.bind.host=" + bindHost);
    command.add("-Dsieve.icap.router.target=127.0.0.1:" + routerPort);
    LocalTls tls = LocalTls.of(layout);
    if (tls.enabled()) {
      command.add("-Dsieve.icap.router.ca.file=" + tls.caFile());
    }
    command.add("-cp");
    command.add(jar.get() + File.pathSeparator + target.resolve("lib") + File.separator + "*");
    command.add(MAIN_CLASS);
    Files.createDirectories(layout.logsDir());
    Path log = layout.logsDir().resolve(NAME + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(layout.home().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("SIEVE_ICAP_") || k.equals("SIEVE_BIND_HOST"));
    if (new File("/dev/null").exists()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    Files.createDirectories(files.runDir());
    write(portFile(files), Integer.toString(icapPort));
    write(pidFile(files), Long.toString(process.pid()));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        return failed(files, "exited with code " + process.exitValue(), log, err);
      }
      if (answersOptions(icapPort)) {
        out.printf(
            "  %-22s pid %-8d icap://%s:%d/reqmod and /respmod -> router 127.0.0.1:%d   log %s%n",
            NAME, process.pid(), bindHost, icapPort, routerPort, UpCommand.display(log));
        out.flush();
        return 0;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroy();
    return failed(
        files, "did not answer ICAP OPTIONS within " + timeout.toSeconds() + " s", log, err);
  }

  private static int failed(RunFiles files, String why, Path log, PrintWriter err) {
    forget(files);
    err.println("sieve up: icap-adapter " + why + "; the fleet is up without it.");
    err.println("---- last 20 lines of " + log + " ----");
    LogTail.lastLines(log, 20).forEach(line -> err.println("  " + line));
    err.flush();
    return 1;
  }

  /** Whether an ICAP OPTIONS to {@code /reqmod} on loopback gets {@code ICAP/1.0 200}. */
  static boolean answersOptions(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      socket
          .getOutputStream()
          .write(
              ("OPTIONS icap://127.0.0.1:"
                      + port
                      + "/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(15), StandardCharsets.ISO_8859_1).startsWith("ICAP/1.0 200");
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parse(String text) {
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
