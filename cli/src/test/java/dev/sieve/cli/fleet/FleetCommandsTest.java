package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * up / status / down against fake services that are real separate JVM processes (see {@link
 * FakeServiceBuild}): health waiting, pid and port files, NOT_DEPLOYED tiers, failure handling.
 */
class FleetCommandsTest {

  @TempDir static Path buildRoot;
  @TempDir Path home;

  private SystemProperties properties;
  private RunFiles runFiles;

  @BeforeAll
  static void buildFakes() throws IOException {
    FakeServiceBuild.create(buildRoot, List.of(FleetService.ROUTER, FleetService.URL));
  }

  @BeforeEach
  void settings() {
    properties =
        new SystemProperties()
            .set("sieve.home", home.toString())
            .set("sieve.build.root", buildRoot.toString())
            .set("sieve.runtime.dir", home.resolve(".sieve").toString());
    runFiles = new RunFiles(home.resolve(".sieve/run"));
  }

  @AfterEach
  void stopEverything() {
    try {
      CliRun.of("down", "--timeout", "5s");
    } finally {
      properties.close();
    }
  }

  private List<String> portArgs() throws IOException {
    List<String> options =
        List.of(
            "--router-port",
            "--url-port",
            "--content-port",
            "--llm-port",
            "--router-metrics-port",
            "--url-metrics-port",
            "--content-metrics-port",
            "--llm-metrics-port");
    int[] ports = PortCheck.freePorts(options.size());
    List<String> args = new ArrayList<>();
    for (int i = 0; i < options.size(); i++) {
      args.add(options.get(i));
      args.add(Integer.toString(ports[i]));
    }
    return args;
  }

  private CliRun up(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("up", "--timeout", "60s"));
    args.addAll(portArgs());
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void upStartsTheBuiltServicesWaitsForHealthAndDownStopsThem() throws Exception {
    CliRun up = up();

    assertThat(up.exitCode()).as(up.toString()).isZero();
    int routerPort = runFiles.port(FleetService.ROUTER).orElseThrow();
    int urlPort = runFiles.port(FleetService.URL).orElseThrow();
    long routerPid = runFiles.pid(FleetService.ROUTER).orElseThrow();
    long urlPid = runFiles.pid(FleetService.URL).orElseThrow();
    assertThat(up.out())
        .contains("Sieve is up")
        .containsPattern(
            "router\\s+-\\s+"
                + routerPid
                + "\\s+127\\.0\\.0\\.1:"
                + routerPort
                + "\\s+"
                + runFiles.metricsPort(FleetService.ROUTER).orElseThrow())
        .containsPattern("url-service\\s+url\\s+" + urlPid + "\\s+127\\.0\\.0\\.1:" + urlPort)
        .containsPattern("content-service\\s+content\\s+-\\s+NOT_DEPLOYED\\s+-\\s+not built")
        .containsPattern("router\\s+SERVING after");
    // The router is pointed at exactly the tiers that were started.
    String routerLog = Files.readString(home.resolve(".sieve/logs/router.log"));
    assertThat(routerLog)
        .contains("url=127.0.0.1:" + urlPort + " content=null llm=null")
        .contains("home=" + home);

    CliRun status = CliRun.of("status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .containsPattern(
            "router\\s+-\\s+"
                + routerPid
                + "\\s+yes\\s+127\\.0\\.0\\.1:"
                + routerPort
                + "\\s+\\d+\\s+SERVING")
        .containsPattern("url-service\\s+url\\s+" + urlPid + "\\s+yes\\s+.*SERVING")
        .containsPattern("llm-fallback-service\\s+llm\\s+-\\s+-\\s+-\\s+-\\s+not started");

    CliRun again = up();
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("Sieve is already up");
    assertThat(runFiles.pid(FleetService.ROUTER)).contains(routerPid);

    CliRun down = CliRun.of("down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(down.out())
        .contains("stopped router")
        .contains("stopped url-service")
        .contains("Sieve is down.");
    assertThat(ProcessHandle.of(routerPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessHandle.of(urlPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(runFiles.pidFile(FleetService.ROUTER)).doesNotExist();
    assertThat(Files.readString(home.resolve(".sieve/logs/router.log")))
        .as("graceful SIGTERM")
        .contains("fake stopped");
    assertThat(CliRun.of("status").exitCode()).isEqualTo(3);
    assertThat(CliRun.of("down").out()).contains("Sieve is not running.");
  }

  @Test
  void tiersSelectsWhatIsStarted() throws Exception {
    CliRun up = up("--tiers", "content");

    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.err()).contains("content-service requested but not built");
    assertThat(up.out())
        .containsPattern("url-service\\s+url\\s+-\\s+NOT_DEPLOYED\\s+-\\s+not requested");
    assertThat(runFiles.pid(FleetService.URL)).isEmpty();
    assertThat(Files.readString(home.resolve(".sieve/logs/router.log")))
        .contains("url=null content=null llm=null");
  }

  @Test
  void aServiceThatDiesFailsUpWithItsLogAndTheOthersAreStopped() throws Exception {
    CliRun up = up("--jvm-opts", "-Dfake.fail=dev.sieve.router.RouterMain");

    assertThat(up.exitCode()).as(up.toString()).isEqualTo(1);
    assertThat(up.err())
        .contains("router exited with code 3 before becoming SERVING")
        .contains("boom: cannot load the policy")
        .contains("Stopping the services that were started")
        .contains("stopped url-service");
    assertThat(runFiles.pidFile(FleetService.URL)).doesNotExist();
    assertThat(runFiles.pidFile(FleetService.ROUTER)).doesNotExist();
  }

  @Test
  void aServiceThatNeverBecomesServingTimesOut() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--timeout",
                "10s",
                "--tiers",
                "url",
                "--jvm-opts",
                "-Dfake.never.serving=dev.sieve.url.UrlServiceMain"));
    args.addAll(portArgs());

    CliRun up = CliRun.of(args.toArray(String[]::new));

    assertThat(up.exitCode()).as(up.toString()).isEqualTo(1);
    // NOT_SERVING once the fake listens; UNREACHABLE if this machine is too busy to start it in
    // time.
    assertThat(up.err())
        .containsPattern(
            "url-service did not become SERVING within 10\\.0 s \\(last health: (NOT_SERVING|UNREACHABLE|NO_ANSWER)\\)");
    assertThat(up.err()).contains("To start the fleet without it: ./sieve up --tiers none");
    assertThat(FleetState.read(runFiles).isEmpty()).isTrue();
  }

  @Test
  void aPortInUseIsReportedBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<String> args = new ArrayList<>(portArgs());
      args.set(args.indexOf("--router-port") + 1, Integer.toString(taken.getLocalPort()));
      args.add(0, "up");

      CliRun up = CliRun.of(args.toArray(String[]::new));

      assertThat(up.exitCode()).isEqualTo(1);
      assertThat(up.err())
          .contains("port " + taken.getLocalPort() + " (router) is already in use")
          .contains("--router-port");
      assertThat(FleetState.read(runFiles).isEmpty()).isTrue();
    }
  }

  @Test
  void portsMustBeDistinct() throws Exception {
    List<String> args = new ArrayList<>(portArgs());
    args.set(args.indexOf("--url-metrics-port") + 1, args.get(args.indexOf("--router-port") + 1));
    args.add(0, "up");

    CliRun up = CliRun.of(args.toArray(String[]::new));

    assertThat(up.exitCode()).isEqualTo(2);
    assertThat(up.err())
        .containsPattern(
            "(router gRPC and url-service metrics|url-service metrics and router gRPC) cannot both use port");
  }

  @Test
  void aMissingRouterBuildIsExplained() throws Exception {
    properties.set("sieve.build.root", home.toString());

    CliRun up = up();

    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.err())
        .contains("the router is not built")
        .contains("./mvnw -B -q install -DskipTests");
  }

  @Test
  void staleAndForeignPidFilesAreNotTrusted() throws Exception {
    // A pid file naming this test JVM (alive, but not a router) must not count as "up".
    runFiles.write(FleetService.ROUTER, ProcessHandle.current().pid(), 1, 2);
    assertThat(runFiles.liveProcess(FleetService.ROUTER)).isEqualTo(Optional.empty());

    CliRun down = CliRun.of("down");
    assertThat(down.out()).contains("was not running; removed its pid file");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
    assertThat(runFiles.pidFile(FleetService.ROUTER)).doesNotExist();
  }

  private static void kill(long pid) throws Exception {
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().get(30, TimeUnit.SECONDS);
  }

  @Test
  void upRestartsADeadTierOnItsPortAndLeavesTheRunningRouterAlone() throws Exception {
    assertThat(up().exitCode()).isZero();
    long routerPid = runFiles.pid(FleetService.ROUTER).orElseThrow();
    long urlPid = runFiles.pid(FleetService.URL).orElseThrow();
    int urlPort = runFiles.port(FleetService.URL).orElseThrow();
    int urlMetricsPort = runFiles.metricsPort(FleetService.URL).orElseThrow();
    kill(urlPid);

    CliRun again = up(); // fresh --*-port options: the recorded ports must win

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .contains("Sieve is partially up: restarting url-service; still running: router")
        .containsPattern("url-service\\s+SERVING after")
        .contains("Sieve is up");
    long newUrlPid = runFiles.pid(FleetService.URL).orElseThrow();
    assertThat(newUrlPid).isNotEqualTo(urlPid);
    assertThat(ProcessHandle.of(newUrlPid).filter(ProcessHandle::isAlive)).isPresent();
    assertThat(runFiles.port(FleetService.URL)).hasValue(urlPort);
    assertThat(runFiles.metricsPort(FleetService.URL)).hasValue(urlMetricsPort);
    assertThat(runFiles.pid(FleetService.ROUTER)).contains(routerPid);
    assertThat(ProcessHandle.of(routerPid).filter(ProcessHandle::isAlive)).isPresent();
    assertThat(CliRun.of("status").exitCode()).isZero();
  }

  @Test
  void upRestartsADeadRouterPointedAtTheTierThatStillRuns() throws Exception {
    assertThat(up().exitCode()).isZero();
    long routerPid = runFiles.pid(FleetService.ROUTER).orElseThrow();
    long urlPid = runFiles.pid(FleetService.URL).orElseThrow();
    int urlPort = runFiles.port(FleetService.URL).orElseThrow();
    int routerPort = runFiles.port(FleetService.ROUTER).orElseThrow();
    kill(routerPid);

    CliRun again = up();

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("restarting router; still running: url-service");
    assertThat(runFiles.pid(FleetService.URL)).contains(urlPid);
    assertThat(runFiles.port(FleetService.ROUTER)).hasValue(routerPort);
    assertThat(Files.readString(home.resolve(".sieve/logs/router.log")))
        .as("the new router's tier target is the running url-service")
        .contains("url=127.0.0.1:" + urlPort + " content=null llm=null");
  }
}
