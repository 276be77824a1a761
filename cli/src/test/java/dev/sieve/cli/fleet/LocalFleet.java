package dev.sieve.cli.fleet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import java.nio.file.Path;
import java.util.List;

/**
 * What the fleet tests that run real service processes share: they are skipped (not passed) when a
 * service jar is not built, point the cli at a home and a runtime directory of their own, and stop
 * the fleet afterwards even when a test failed half-way (down, then any recorded pid still alive).
 */
final class LocalFleet {

  static final Path REPO_ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private LocalFleet() {}

  /** Skips the calling test unless every named service's jar is built. */
  static void requireBuilt(FleetService... services) {
    String[] why = new String[1];
    for (FleetService service : services) {
      assumeTrue(
          ServiceArtifact.locate(service, REPO_ROOT, why).isPresent(),
          () -> service.serviceName() + " jar not available: " + why[0]);
    }
  }

  /**
   * The cli's view of the repository: data and models from {@code home}, runtime files in {@code
   * runtime}.
   */
  static SystemProperties properties(Path home, Path runtime) {
    return new SystemProperties()
        .set("sieve.home", home.toString())
        .set("sieve.build.root", REPO_ROOT.toString())
        .set("sieve.runtime.dir", runtime.toString())
        // These tests are about the fleet; the annotation app's start is UpWithAnnotateTest's.
        .set("sieve.annotate", "off");
  }

  /**
   * {@code down}, then kills whatever of {@code pids} is still alive, then restores the properties.
   */
  static void stop(SystemProperties properties, List<Long> pids) {
    if (properties == null) {
      return;
    }
    try {
      CliRun.of("down", "--timeout", "10s");
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    } finally {
      properties.close();
    }
  }
}
