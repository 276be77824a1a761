package dev.sieve.cli.fleet;

import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.SieveLayout;
import dev.sieve.core.cli.FleetTargets;

/**
 * Where client commands connect when no {@code --target} is given: the port the local fleet was
 * started on ({@code .sieve/run/<service>.port}), else the documented default port, on loopback;
 * the rule itself is core's {@link FleetTargets}, shared with the offline modules' commands.
 */
public final class DefaultTargets {

  private DefaultTargets() {}

  public static HostPort resolve(String explicit, FleetService service) {
    return HostPort.parse(
        FleetTargets.target(
            explicit,
            service.serviceName(),
            service.defaultGrpcPort(),
            SieveLayout.fromSettings().runDir()));
  }
}
