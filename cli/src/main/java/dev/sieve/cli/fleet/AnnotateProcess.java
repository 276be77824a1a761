package dev.sieve.cli.fleet;

import dev.sieve.cli.support.SieveLayout;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The annotation app next to a local fleet (issue #14, docs/annotation.md): {@code ./sieve up}
 * starts it on loopback once the fleet is SERVING (unless {@code --no-annotate}), {@code ./sieve
 * down} stops it first. Not a {@link FleetService}: besides its Feedback gRPC port it is a web app,
 * and "ready" means {@code GET /healthz} answers 200. Its SQLite database lives under {@code
 * .sieve/annotate/} (or {@code SIEVE_DB_URL} for PostgreSQL).
 *
 * <p>First admin: on the app's first start the cli passes it a file path ({@code
 * SIEVE_ANNOTATE_FIRST_ADMIN_FILE}); the app writes the generated password there (owner read/write
 * only) and keeps only its Argon2id hash; the cli prints it once and deletes the file. Files:
 * {@code .sieve/run/annotate.pid|.port|.grpc-port}, log {@code .sieve/logs/annotate.log}.
 */
final class AnnotateProcess {

  static final String NAME = "annotate";
  static final String MAIN_CLASS = "dev.sieve.annotate.AnnotateMain";
  static final int DEFAULT_HTTP_PORT = 8470;
  static final int DEFAULT_GRPC_PORT = 50070;

  /** Its run files, liveness and stop-side plumbing ({@code ./sieve down}, {@code status}). */
  static final CompanionProcess PROCESS =
      CompanionProcess.withMainClass(NAME, MAIN_CLASS, "port", "grpc-port");

  private AnnotateProcess() {}

  static OptionalInt grpcPort(RunFiles files) {
    return PROCESS.recordedInt(files, "grpc-port");
  }

  /**
   * Starts the app and waits until {@code /healthz} answers.
   *
   * @param portsChosen the ports were given on the command line: a busy one is an error, not
   *     replaced
   * @return 0 when it answers (or already ran) or is not built (said so), 1 when it failed to start
   */
  static int start(
      SieveLayout layout,
      RunFiles files,
      int httpPort,
      int grpcPort,
      boolean portsChosen,
      String bindHost,
      List<String> jvmOptions,
      Duration timeout,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    if (PROCESS.live(files).isPresent()) {
      out.printf(
          "  %-22s already running (pid %d, http://%s:%d/)%n",
          NAME,
          PROCESS.recordedPid(files).orElse(-1L),
          bindHost,
          PROCESS.port(files).orElse(httpPort));
      return 0;
    }
    PROCESS.forget(files);
    Path target = layout.buildRoot().resolve("annotate/target");
    Optional<Path> jar = ServiceArtifact.findJar(target, "sieve-annotate");
    if (jar.isEmpty()) {
      out.println(
          "  "
              + NAME
              + ": not built (no "
              + target.resolve("sieve-annotate-*.jar")
              + "); the fleet is up without it.");
      return 0;
    }
    if (!PortCheck.isFree(bindHost, httpPort) || !PortCheck.isFree(bindHost, grpcPort)) {
      if (portsChosen) {
        err.printf(
            "sieve up: port %d or %d (annotate) is already in use on %s; pick others with --annotate-port /"
                + " --annotate-grpc-port, or --no-annotate. The fleet is up without it.%n",
            httpPort, grpcPort, bindHost);
        return 1;
      }
      // The default ports are taken (another checkout's app, say): any free ones, said out loud.
      int[] free = PortCheck.freePorts(2);
      out.printf(
          "  %s: default ports %d/%d are in use; using %d (web) and %d (Feedback gRPC)%n",
          NAME, httpPort, grpcPort, free[0], free[1]);
      httpPort = free[0];
      grpcPort = free[1];
    }
    Path firstAdmin = files.runDir().resolve(NAME + ".first-admin");
    Files.deleteIfExists(firstAdmin);
    List<String> command = CompanionProcess.javaCommand(jvmOptions);
    command.add("-Dsieve.home=" + layout.home());
    command.add("-Dsieve.bind.host=" + bindHost);
    command.add("-Dsieve.annotate.http.port=" + httpPort);
    command.add("-Dsieve.grpc.port=" + grpcPort);
    command.add("-Dsieve.annotate.first.admin.file=" + firstAdmin);
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
            true,
            env ->
                env.keySet()
                    .removeIf(
                        k ->
                            k.equals("SIEVE_GRPC_PORT")
                                || k.equals("SIEVE_BIND_HOST")
                                || k.equals("SIEVE_METRICS_PORT")
                                || k.startsWith("SIEVE_ANNOTATE_")),
            Map.of("port", Integer.toString(httpPort), "grpc-port", Integer.toString(grpcPort)));
    int readyPort = httpPort;
    Optional<String> notReady =
        CompanionProcess.awaitReady(
            process,
            timeout,
            Duration.ofMillis(200),
            "did not answer /healthz",
            () -> healthy(readyPort));
    if (notReady.isPresent()) {
      return PROCESS.failed(files, notReady.get(), "the fleet is up without it.", log, err);
    }
    out.printf(
        "  %-22s pid %-8d http://%s:%d/  Feedback gRPC %s:%d   log %s%n",
        NAME, process.pid(), bindHost, httpPort, bindHost, grpcPort, UpCommand.display(log));
    if (Files.isRegularFile(firstAdmin)) {
      out.println();
      out.println(
          "  First admin account of the annotation app (shown once; only its Argon2id hash is stored):");
      out.println("    " + Files.readString(firstAdmin, StandardCharsets.UTF_8).strip());
      out.println(
          "  Log in at http://"
              + bindHost
              + ":"
              + httpPort
              + "/login and create the other accounts there.");
      out.println();
      Files.delete(firstAdmin);
    }
    out.flush();
    return 0;
  }

  /** Whether {@code GET /healthz} on loopback answers 200. */
  static boolean healthy(int port) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/healthz").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }
}
