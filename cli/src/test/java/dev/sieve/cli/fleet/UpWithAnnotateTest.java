package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sieve up} starts the annotation app next to the fleet and prints its first admin account
 * once (the password logs in; a second {@code up} does not print it again and nothing in the logs
 * holds it); {@code status} shows the app; {@code down} stops it. Skipped when the jars are not
 * built.
 */
@Tag("e2e")
class UpWithAnnotateTest {

  @TempDir Path home;
  private SystemProperties properties;
  private final List<Long> pids = new ArrayList<>();

  @BeforeEach
  void requireBuilt() {
    LocalFleet.requireBuilt(FleetService.ROUTER);
    assumeTrue(
        ServiceArtifact.findJar(LocalFleet.REPO_ROOT.resolve("annotate/target"), "sieve-annotate")
            .isPresent(),
        "annotate jar not built");
    properties = LocalFleet.properties(home, home.resolve(".sieve")).set("sieve.annotate", "on");
  }

  @AfterEach
  void stop() {
    LocalFleet.stop(properties, pids);
  }

  @Test
  void upStartsTheAppPrintsTheFirstAdminOnceAndDownStopsIt() throws Exception {
    int[] ports = PortCheck.freePorts(4);
    List<String> args =
        List.of(
            "up",
            "--tiers",
            "none",
            "--timeout",
            "120s",
            "--router-port",
            Integer.toString(ports[0]),
            "--router-metrics-port",
            Integer.toString(ports[1]),
            "--annotate-port",
            Integer.toString(ports[2]),
            "--annotate-grpc-port",
            Integer.toString(ports[3]));
    CliRun up = CliRun.of(args.toArray(String[]::new));
    RunFiles files = new RunFiles(home.resolve(".sieve/run"));
    files.pid(FleetService.ROUTER).ifPresent(pids::add);
    Optional<Long> appPid = AnnotateProcess.PROCESS.recordedPid(files);
    appPid.ifPresent(pids::add);
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.out()).contains("annotate").contains("http://127.0.0.1:" + ports[2] + "/");
    Matcher m = Pattern.compile("user admin password (\\S+)").matcher(up.out());
    assertThat(m.find()).as(up.out()).isTrue();
    String password = m.group(1);

    // The printed password logs in.
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String base = "http://127.0.0.1:" + ports[2];
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher token = Pattern.compile("name=\"_login\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(token.find()).isTrue();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Cookie", "sieve_annotate_login=" + token.group(1))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "_login="
                            + token.group(1)
                            + "&username=admin&password="
                            + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.headers().firstValue("Location")).hasValue("/");
    // Shown once: not in the app's log, no hand-over file left, not printed by a second up.
    assertThat(Files.readString(home.resolve(".sieve/logs/annotate.log"))).doesNotContain(password);
    assertThat(home.resolve(".sieve/run/annotate.first-admin")).doesNotExist();
    CliRun again = CliRun.of(args.toArray(String[]::new));
    assertThat(again.out()).doesNotContain(password).contains("already running");

    CliRun status = CliRun.of("status");
    assertThat(status.out())
        .containsPattern(
            "annotate\\s+-\\s+\\d+\\s+yes\\s+http://127\\.0\\.0\\.1:" + ports[2] + ".*HTTP 200");

    CliRun down = CliRun.of("down", "--timeout", "10s");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(down.out()).contains("Stopping the annotation app");
    assertThat(ProcessHandle.of(appPid.orElseThrow()).map(ProcessHandle::isAlive).orElse(false))
        .isFalse();
    assertThat(AnnotateProcess.PROCESS.recordedPid(files)).isEmpty();
  }

  /**
   * When the app's default ports are taken (here by this test, or by another checkout's app), up
   * moves the app to free ports and points the router at the port the app really uses: a report
   * sent to the router is forwarded to the app (not spooled).
   */
  @Test
  void whenTheDefaultPortsAreTakenTheRouterFollowsTheApp() throws Exception {
    List<ServerSocket> held = new ArrayList<>();
    for (int port :
        new int[] {AnnotateProcess.DEFAULT_HTTP_PORT, AnnotateProcess.DEFAULT_GRPC_PORT}) {
      try {
        held.add(new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))); // taken by us
      } catch (IOException alreadyTaken) {
        // taken by someone else: the same situation
      }
    }
    try {
      int[] ports = PortCheck.freePorts(2);
      CliRun up =
          CliRun.of(
              "up",
              "--tiers",
              "none",
              "--timeout",
              "120s",
              "--router-port",
              Integer.toString(ports[0]),
              "--router-metrics-port",
              Integer.toString(ports[1]));
      RunFiles files = new RunFiles(home.resolve(".sieve/run"));
      files.pid(FleetService.ROUTER).ifPresent(pids::add);
      AnnotateProcess.PROCESS.recordedPid(files).ifPresent(pids::add);
      assertThat(up.exitCode()).as(up.toString()).isZero();
      Matcher moved =
          Pattern.compile("default ports \\d+/\\d+ are in use; using (\\d+) \\(web\\) and (\\d+)")
              .matcher(up.out());
      assertThat(moved.find()).as(up.out()).isTrue();
      int grpc = Integer.parseInt(moved.group(2));
      assertThat(AnnotateProcess.grpcPort(files)).hasValue(grpc);
      assertThat(up.out())
          .as("moved once, before the router started")
          .containsOnlyOnce("are in use");

      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", ports[0]).usePlaintext().build();
      try {
        ReportVerdictResponse response =
            ClassifierGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .reportVerdict(
                    ReportVerdictRequest.newBuilder()
                        .setTenantId("district-7")
                        .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK)
                        .setUrl("https://www.khanacademy.org/")
                        .setReportId("port-wiring-1")
                        .build());
        assertThat(response.getQueued()).isTrue();
      } finally {
        channel.shutdownNow();
      }
      RouterMetricsScrape metrics = new RouterMetricsScrape(ports[1]);
      assertThat(
              metrics.value("sieve_router_feedback_reports_total", Map.of("outcome", "forwarded")))
          .as(
              "forwarded to the app on its real port, not spooled; up printed:\n"
                  + up.out()
                  + "\n"
                  + logs())
          .hasValue(1.0);
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  /** The fleet's and the app's logs (their tails), for a failure message. */
  private String logs() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        String t = Files.readString(f);
        sb.append("=== ")
            .append(f)
            .append('\n')
            .append(t.length() > 6000 ? t.substring(t.length() - 6000) : t);
      }
    } catch (Exception e) {
      sb.append(e);
    }
    return sb.toString();
  }
}
