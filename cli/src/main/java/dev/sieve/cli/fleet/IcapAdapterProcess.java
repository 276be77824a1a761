package dev.sieve.cli.fleet;

import dev.sieve.cli.support.LocalTls;
import dev.sieve.cli.support.SieveLayout;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Its run files, liveness and stop-side plumbing ({@code ./sieve down}, {@code status}). */
  static final CompanionProcess PROCESS = CompanionProcess.withMainClass(NAME, MAIN_CLASS, "port");

  private IcapAdapterProcess() {}

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
    if (PROCESS.live(files).isPresent()) {
      out.printf(
          "  %-22s already running (pid %d, icap://%s:%d/reqmod)%n",
          NAME,
          PROCESS.recordedPid(files).orElse(-1L),
          bindHost,
          PROCESS.port(files).orElse(icapPort));
      return 0;
    }
    PROCESS.forget(files);
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
    List<String> command = CompanionProcess.javaCommand(jvmOptions);
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
    Path log = layout.logsDir().resolve(NAME + ".log");
    Process process =
        PROCESS.launch(
            files,
            command,
            layout.home(),
            log,
            false,
            env ->
                env.keySet()
                    .removeIf(k -> k.startsWith("SIEVE_ICAP_") || k.equals("SIEVE_BIND_HOST")),
            Map.of("port", Integer.toString(icapPort)));
    Optional<String> notReady =
        CompanionProcess.awaitReady(
            process,
            timeout,
            Duration.ofMillis(200),
            "did not answer ICAP OPTIONS",
            () -> answersOptions(icapPort));
    if (notReady.isPresent()) {
      return PROCESS.failed(files, notReady.get(), "the fleet is up without it.", log, err);
    }
    out.printf(
        "  %-22s pid %-8d icap://%s:%d/reqmod and /respmod -> router 127.0.0.1:%d   log %s%n",
        NAME, process.pid(), bindHost, icapPort, routerPort, UpCommand.display(log));
    out.flush();
    return 0;
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
}
