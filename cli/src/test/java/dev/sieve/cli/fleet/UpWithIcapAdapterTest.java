package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sieve up --icap-port}: the ICAP adapter starts next to the fleet, answers a REQMOD for a
 * known gambling host with the block page (through the real router and url tier on the fixture
 * dataset), shows in {@code status}, and {@code down} stops it. Skipped when the jars are not
 * built.
 */
@Tag("e2e")
class UpWithIcapAdapterTest {

  @TempDir Path home;
  private SystemProperties properties;
  private final List<Long> pids = new ArrayList<>();

  @BeforeEach
  void requireBuilt() {
    LocalFleet.requireBuilt(FleetService.ROUTER, FleetService.URL);
    SquidIcapEndToEndTest.adapterJar();
    properties = LocalFleet.properties(home, home.resolve(".sieve"));
  }

  @AfterEach
  void stop() {
    LocalFleet.stop(properties, pids);
  }

  @Test
  void upStartsTheAdapterWhichBlocksAGamblingUrlAndDownStopsIt() throws Exception {
    FixtureDataset.write(home);
    int[] ports = PortCheck.freePorts(5);
    // --jvm-opts reach the adapter too: a cold 2-core machine misses the production 500 ms
    // deadline.
    CliRun up =
        CliRun.of(
            "up",
            "--tiers",
            "url",
            "--timeout",
            "120s",
            "--jvm-opts",
            "-Dsieve.url.tier.timeout.ms=20000 -Dsieve.icap.reqmod.deadline.ms=20000",
            "--router-port",
            Integer.toString(ports[0]),
            "--url-port",
            Integer.toString(ports[1]),
            "--router-metrics-port",
            Integer.toString(ports[2]),
            "--url-metrics-port",
            Integer.toString(ports[3]),
            "--icap-port",
            Integer.toString(ports[4]));
    RunFiles files = new RunFiles(home.resolve(".sieve/run"));
    files.pid(FleetService.ROUTER).ifPresent(pids::add);
    files.pid(FleetService.URL).ifPresent(pids::add);
    Optional<Long> adapterPid = IcapAdapterProcess.PROCESS.recordedPid(files);
    adapterPid.ifPresent(pids::add);
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.out())
        .contains("icap-adapter")
        .contains("icap://127.0.0.1:" + ports[4] + "/reqmod");
    assertThat(adapterPid).isPresent();

    String http = "GET http://www.pokerstars.com/ HTTP/1.1\r\nHost: www.pokerstars.com\r\n\r\n";
    String answer =
        exchange(
            ports[4],
            "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nAllow: 204\r\n"
                + "Connection: close\r\nEncapsulated: req-hdr=0, null-body="
                + http.length()
                + "\r\n\r\n"
                + http);
    assertThat(answer)
        .startsWith("ICAP/1.0 200 OK")
        .contains("HTTP/1.1 403 Forbidden")
        .contains("Gambling");

    CliRun status = CliRun.of("status");
    assertThat(status.out()).contains("icap-adapter").contains("ICAP OPTIONS 200");

    CliRun down = CliRun.of("down", "--timeout", "10s");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(ProcessHandle.of(adapterPid.get()).map(ProcessHandle::isAlive).orElse(false))
        .isFalse();
    assertThat(IcapAdapterProcess.PROCESS.recordedPid(files)).isEmpty();
  }

  private static String exchange(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
