package dev.sieve.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command finds the fleet the same way: explicit, then .sieve/run, then the default. */
class LocalFleetTest {

  @Test
  void explicitWinsThenTheRecordedPortThenTheDefault(@TempDir Path run) throws Exception {
    assertThat(FleetTargets.target(null, "router", 50051, run)).isEqualTo("127.0.0.1:50051");
    Files.writeString(run.resolve("router.port"), "51201\n");
    assertThat(FleetTargets.target(null, "router", 50051, run)).isEqualTo("127.0.0.1:51201");
    assertThat(FleetTargets.target(" ", "router", 50051, run)).isEqualTo("127.0.0.1:51201");
    assertThat(FleetTargets.target("10.0.0.5:443", "router", 50051, run)).isEqualTo("10.0.0.5:443");
  }

  @Test
  void anUnreadablePortFileFallsBackToTheDefault(@TempDir Path run) throws Exception {
    Files.writeString(run.resolve("url-service.port"), "not a port");
    assertThat(FleetTargets.target(null, "url-service", 50052, run)).isEqualTo("127.0.0.1:50052");
    Files.writeString(run.resolve("url-service.port"), "70000");
    assertThat(FleetTargets.target(null, "url-service", 50052, run)).isEqualTo("127.0.0.1:50052");
  }
}
