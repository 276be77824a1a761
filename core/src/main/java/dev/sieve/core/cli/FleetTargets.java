package dev.sieve.core.cli;

import dev.sieve.core.util.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Where a command finds a server of the local fleet, the same way for every command of every
 * module: an explicit {@code --target} first, then the port {@code ./sieve up} recorded in {@code
 * .sieve/run/<service>.port}, then the documented default port, on loopback. Lives in core so that
 * offline modules' commands ({@code explain}, {@code eval fleet}, {@code fleet-vs-tiers}) find a
 * fleet started on other ports exactly like {@code classify} does.
 */
public final class FleetTargets {

  /** The router's documented default gRPC port. */
  public static final int ROUTER_DEFAULT_PORT = 50051;

  private FleetTargets() {}

  /** The router: explicit, else the recorded port, else 127.0.0.1:50051. */
  public static String router(String explicit) {
    return target(explicit, "router", ROUTER_DEFAULT_PORT);
  }

  /**
   * A fleet service ({@code router}, {@code url-service}, ...): explicit, recorded, else default.
   */
  public static String target(String explicit, String service, int defaultPort) {
    return target(explicit, service, defaultPort, runDir());
  }

  /**
   * As {@link #target(String, String, int)}, with the run directory given (tests, other layouts).
   */
  public static String target(String explicit, String service, int defaultPort, Path runDir) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    return "127.0.0.1:" + recordedPort(service, runDir).orElse(defaultPort);
  }

  /** The port {@code ./sieve up} recorded for a service in a run directory, if it did. */
  public static OptionalInt recordedPort(String service, Path runDir) {
    Path file = runDir.resolve(service + ".port");
    try {
      if (!Files.isRegularFile(file)) {
        return OptionalInt.empty();
      }
      int port = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip());
      return port > 0 && port <= 65_535 ? OptionalInt.of(port) : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * {@code SIEVE_RUNTIME_DIR/run}, else {@code SIEVE_HOME/.sieve/run}: the layout the cli's {@code
   * SieveLayout} writes.
   */
  public static Path runDir() {
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
    Path runtime =
        Settings.get("SIEVE_RUNTIME_DIR")
            .map(p -> Path.of(p).toAbsolutePath().normalize())
            .orElse(home.resolve(".sieve"));
    return runtime.resolve("run");
  }
}
