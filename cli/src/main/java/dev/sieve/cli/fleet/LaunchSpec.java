package dev.sieve.cli.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one service process: its artifact, ports, and the extra {@code -D}
 * settings (for the router: where the tiers are and which policy to load).
 */
public record LaunchSpec(
    ServiceArtifact artifact, int grpcPort, int metricsPort, Map<String, String> extraProperties) {

  public LaunchSpec {
    extraProperties = Map.copyOf(extraProperties);
  }

  public FleetService service() {
    return artifact.service();
  }

  /**
   * The full command line: {@code java [jvmOptions] -D... -cp <jar>:<lib>/* <Main>}.
   *
   * @param javaBinary the java executable (the cli's own, so the fleet runs on the JDK the script
   *     found)
   */
  public List<String> command(
      Path javaBinary, Path home, String bindHost, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary.toString());
    // Quiet JDK warnings about gRPC's dependencies in every service log: Netty loads a native
    // transport (JDK 22+ warns), protobuf uses sun.misc.Unsafe (JDK 24+ warns; switch since JDK
    // 23).
    // The services run on this JVM's java, so its version decides.
    command.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(jvmOptions);
    command.add("-Dsieve.home=" + home);
    command.add("-Dsieve.grpc.port=" + grpcPort);
    command.add("-Dsieve.metrics.port=" + metricsPort);
    command.add("-Dsieve.bind.host=" + bindHost);
    extraProperties.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> command.add("-D" + e.getKey() + "=" + e.getValue()));
    command.add("-cp");
    command.add(artifact.classpath());
    command.add(service().mainClass());
    return command;
  }
}
