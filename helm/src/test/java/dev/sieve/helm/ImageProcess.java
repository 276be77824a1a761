package dev.sieve.helm;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service started the way its image starts it, without Docker: an {@code /app}-like directory
 * assembled from the Dockerfile's {@code COPY} instructions (the jar copied, directories linked),
 * the image's {@code ENV}, its {@code WORKDIR}, and its exec-form {@code ENTRYPOINT} ({@code java
 * -jar /app/app.jar}) run by this JVM's java.
 *
 * <p>Deviations from the image, all about the machine rather than the image: the service binds
 * loopback instead of {@code 0.0.0.0}, on free ports; DJL keeps its native-library cache where it
 * is on this machine instead of {@code /var/cache/djl}; the router is pointed at the other
 * services.
 */
final class ImageProcess implements AutoCloseable {

  final String service;
  final int grpcPort;
  final int metricsPort;
  final Path log;
  private final Process process;

  private ImageProcess(String service, Process process, int grpcPort, int metricsPort, Path log) {
    this.service = service;
    this.process = process;
    this.grpcPort = grpcPort;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /**
   * Assembles {@code work/<service>/app} and starts the entrypoint there.
   *
   * @param extraEnv settings the deployment adds (the router's tier targets)
   */
  static ImageProcess start(
      DockerfileModel dockerfile,
      Path repoRoot,
      String service,
      String version,
      Path work,
      Map<String, String> extraEnv)
      throws IOException {
    Path root = Files.createDirectories(work.resolve(service));
    String appDir = dockerfile.workdir();
    for (DockerfileModel.Copy copy : dockerfile.copies()) {
      Path source = repoRoot.resolve(expand(copy.source(), service, version));
      Path destination = inImage(root, expand(copy.destination(), service, version));
      Files.createDirectories(destination.getParent());
      if (copy.source().endsWith("/")) {
        Files.createSymbolicLink(destination, source.toAbsolutePath());
      } else {
        Files.copy(source, destination);
      }
    }
    int[] ports = freePorts(2);
    Map<String, String> env = new HashMap<>();
    dockerfile
        .env()
        .forEach(
            (name, value) ->
                env.put(name, value.replace(appDir, inImage(root, appDir).toString())));
    env.put("SIEVE_BIND_HOST", "127.0.0.1");
    env.remove("DJL_CACHE_DIR");
    env.put("SIEVE_GRPC_PORT", Integer.toString(ports[0]));
    env.put("SIEVE_METRICS_PORT", Integer.toString(ports[1]));
    env.putAll(extraEnv);

    List<String> command = new ArrayList<>(dockerfile.entrypoint());
    if (!command.get(0).equals("java")) {
      throw new AssertionError("the entrypoint does not start with java: " + command);
    }
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.replaceAll(arg -> arg.startsWith(appDir + "/") ? inImage(root, arg).toString() : arg);

    Path log = root.resolve(service + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(inImage(root, appDir).toFile());
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("SIEVE_") || name.startsWith("JDK_JAVA_OPTIONS"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ImageProcess(service, builder.start(), ports[0], ports[1], log);
  }

  /**
   * Polls grpc.health.v1 until SERVING; fails with the log's tail when the process dies or time
   * runs out.
   */
  void awaitServing(Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    ManagedChannel channel = channel();
    try {
      ServingStatus last = null;
      while (System.nanoTime() < end) {
        if (!process.isAlive()) {
          throw new AssertionError(
              service + " exited with " + process.exitValue() + " before SERVING:\n" + logTail());
        }
        try {
          last =
              HealthGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(2, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus();
          if (last == ServingStatus.SERVING) {
            return;
          }
        } catch (StatusRuntimeException e) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      throw new AssertionError(
          service + " not SERVING after " + timeout + " (last: " + last + "):\n" + logTail());
    } finally {
      channel.shutdownNow();
    }
  }

  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
  }

  String target() {
    return "127.0.0.1:" + grpcPort;
  }

  /** GET /metrics as a Prometheus server would (text format). */
  String scrapeMetrics() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .header("Accept", "text/plain; version=0.0.4")
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(service + " /metrics answered " + response.statusCode());
    }
    return response.body();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** SIGTERM (the graceful drain), then a hard kill if it does not stop. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String expand(String text, String service, String version) {
    return text.replace("${SERVICE}", service).replace("${VERSION}", version);
  }

  /** An absolute image path (/app/x) under the assembled root. */
  private static Path inImage(Path root, String imagePath) {
    String relative = imagePath.replaceAll("^/+", "").replaceAll("/+$", "");
    return root.resolve(relative);
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
