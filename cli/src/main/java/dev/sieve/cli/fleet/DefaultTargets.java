package dev.sieve.cli.fleet;

import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.SieveLayout;
import java.util.OptionalInt;

/**
 * Where client commands connect when no {@code --target} is given: the port the local fleet was
 * started on ({@code .sieve/run/<service>.port}), else the documented default port, on loopback.
 */
public final class DefaultTargets {

  private DefaultTargets() {}

  public static HostPort resolve(String explicit, FleetService service) {
    if (explicit != null && !explicit.isBlank()) {
      return HostPort.parse(explicit);
    }
    RunFiles files = new RunFiles(SieveLayout.fromSettings().runDir());
    OptionalInt recorded = files.port(service);
    return HostPort.loopback(recorded.orElse(service.defaultGrpcPort()));
  }
}
