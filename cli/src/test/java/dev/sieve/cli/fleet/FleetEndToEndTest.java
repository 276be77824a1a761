package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.SystemProperties;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real fleet, end to end through the cli's own code path: {@code up} starts the real router and
 * url-service jars as separate processes against a tiny fixture dataset, {@code classify} asks the
 * router, {@code down} stops them. Skipped (not passed) when those jars are not built; the reactor
 * builds them before the cli module.
 */
@Tag("e2e")
class FleetEndToEndTest {

  private static final Path REPO_ROOT = LocalFleet.REPO_ROOT;

  @TempDir Path home;
  private SystemProperties properties;
  private final List<Long> pids = new ArrayList<>();

  @BeforeEach
  void requireBuiltServices() {
    LocalFleet.requireBuilt(FleetService.ROUTER, FleetService.URL);
    properties = LocalFleet.properties(home, home.resolve(".sieve"));
  }

  @AfterEach
  void stopFleet() {
    LocalFleet.stop(properties, pids);
  }

  @Test
  void upClassifyDown() throws Exception {
    run(false);
  }

  /** The same with {@code --tls}: TLS on the router's port, mTLS to the tier, the cli follows. */
  @Test
  void upWithTlsClassifyDown() throws Exception {
    run(true);
  }

  private void run(boolean tls) throws Exception {
    try {
      upClassifyDownSteps(tls);
    } catch (AssertionError e) {
      // The services' logs are what explains a failure here; the temp dir is gone afterwards.
      StringBuilder logs = new StringBuilder(e.getMessage()).append("\n");
      for (FleetService service : List.of(FleetService.ROUTER, FleetService.URL)) {
        Path log = home.resolve(".sieve/logs/" + service.serviceName() + ".log");
        logs.append("---- ").append(log).append(" ----\n");
        LogTail.lastLines(log, 60).forEach(line -> logs.append(line).append('\n'));
      }
      throw new AssertionError(logs.toString(), e);
    }
  }

  private void upClassifyDownSteps(boolean tls) throws Exception {
    FixtureDataset.write(home);
    // The router's 100 ms url-tier budget is a production setting; a busy 2-core CI machine running
    // the whole reactor cannot promise it for a cold JVM, and this test checks the verdict, not
    // speed.
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--tiers",
                "url",
                "--timeout",
                "120s",
                "--jvm-opts",
                "-Dsieve.url.tier.timeout.ms=20000"));
    if (tls) {
      args.add("--tls");
    }
    List<String> options =
        List.of("--router-port", "--url-port", "--router-metrics-port", "--url-metrics-port");
    int[] ports = PortCheck.freePorts(options.size());
    for (int i = 0; i < options.size(); i++) {
      args.add(options.get(i));
      args.add(Integer.toString(ports[i]));
    }

    CliRun up = CliRun.of(args.toArray(String[]::new));
    RunFiles files = new RunFiles(home.resolve(".sieve/run"));
    files.pid(FleetService.ROUTER).ifPresent(pids::add);
    files.pid(FleetService.URL).ifPresent(pids::add);
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(pids).hasSize(2);

    CliRun json =
        CliRun.of(
            "classify",
            "https://www.pokerstars.com/",
            "--json",
            "--bypass-cache",
            "--deadline",
            "30s");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    ClassifyResponse.Builder parsed = ClassifyResponse.newBuilder();
    JsonFormat.parser().merge(json.out(), parsed);
    ClassifyResponse response = parsed.build();
    assertThat(response.getAction()).as(json.out()).isEqualTo(Action.ACTION_BLOCK);
    assertThat(response.getPrimaryCategory()).as(json.out()).isEqualTo("gambling");
    assertThat(response.getReasonsList())
        .as("a url-tier reason whose evidence is the matched list entry")
        .anySatisfy(
            (Reason reason) -> {
              assertThat(reason.getCategory()).isEqualTo("gambling");
              assertThat(reason.getTier()).isEqualTo("url");
              assertThat(reason.getEvidence().getKind()).isEqualTo(Evidence.Kind.KIND_LIST_MATCH);
              assertThat(reason.getEvidence().getDetail()).contains("pokerstars.com");
            });
    assertThat(response.getTiersList())
        .anySatisfy(
            (TierStatus tier) -> {
              assertThat(tier.getTier()).isEqualTo("url");
              assertThat(tier.getState()).isEqualTo(TierState.TIER_STATE_OK);
            })
        .anySatisfy(
            (TierStatus tier) -> {
              assertThat(tier.getTier()).isEqualTo("content");
              assertThat(tier.getState()).isEqualTo(TierState.TIER_STATE_NOT_DEPLOYED);
            });

    CliRun table = CliRun.of("classify", "https://www.pokerstars.com/", "--deadline", "30s");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out())
        .contains("Action     BLOCK")
        .containsPattern("gambling\\s+url\\s+LIST_MATCH .*pokerstars\\.com");

    CliRun malformed = CliRun.of("classify", "http://exa mple.com/");
    assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(2);
    assertThat(malformed.err()).contains("INVALID_ARGUMENT");

    assertThat(CliRun.of("status").exitCode()).isZero();

    String routerLog = Files.readString(home.resolve(".sieve/logs/router.log"));
    String urlLog = Files.readString(home.resolve(".sieve/logs/url-service.log"));
    if (tls) {
      assertThat(routerLog)
          .contains("router listening on port " + ports[0] + " (TLS")
          .contains("tier url: target")
          .contains("(TLS)");
      assertThat(urlLog).contains("(mTLS, allowed clients [sieve-router])");
      ManagedChannel plain =
          NettyChannelBuilder.forAddress("127.0.0.1", ports[0]).usePlaintext().build();
      try {
        assertThat(
                Assertions.catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                            ClassifierGrpc.newBlockingStub(plain)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .classify(
                                    ClassifyRequest.newBuilder()
                                        .setUrl("https://example.com/")
                                        .build()))
                    .getStatus()
                    .getCode())
            .isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        plain.shutdownNow();
      }
    } else {
      assertThat(routerLog).contains("plaintext (loopback 127.0.0.1)");
    }

    CliRun down = CliRun.of("down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("pid " + pid + " is gone")
          .isEmpty();
    }
    assertThat(files.pidFile(FleetService.ROUTER)).doesNotExist();
    assertThat(files.pidFile(FleetService.URL)).doesNotExist();
  }
}
