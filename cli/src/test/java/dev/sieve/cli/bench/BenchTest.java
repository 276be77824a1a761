package dev.sieve.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.support.Channels;
import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.FakeRouter;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BenchTest {

  private static <T> StreamObserver<T> observer(LoadGenerator.Completion done) {
    return BenchCommand.observer(done, response -> null);
  }

  @Test
  void aCountedRunAgainstTheEchoServerRecordsEveryCallWithOrderedPercentiles() throws Exception {
    try (EchoServer echo = EchoServer.start()) {
      ManagedChannel channel = Channels.openDirect(echo.target());
      try {
        ClassifierGrpc.ClassifierStub stub = ClassifierGrpc.newStub(channel);
        Workload workload = Workload.defaultUrls();
        LoadGenerator.AsyncCall call =
            (seq, done) ->
                stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .classify(workload.classifyRequest(seq, List.of(), false), observer(done));

        BenchReport report =
            LoadGenerator.run(
                "echo",
                echo.target().toString(),
                call,
                new LoadGenerator.Plan(4, Duration.ZERO, null, 200, Duration.ofSeconds(60)));

        assertThat(report.ok()).isEqualTo(200);
        assertThat(report.errors()).isZero();
        assertThat(report.requests()).isEqualTo(200);
        assertThat(report.p50Micros()).isPositive();
        assertThat(report.p50Micros()).isLessThanOrEqualTo(report.p90Micros());
        assertThat(report.p90Micros()).isLessThanOrEqualTo(report.p99Micros());
        assertThat(report.p99Micros()).isLessThanOrEqualTo(report.p999Micros());
        assertThat(report.p999Micros()).isLessThanOrEqualTo(report.maxMicros());
        assertThat(report.qps()).isPositive();
      } finally {
        Channels.close(channel);
      }
    }
  }

  @Test
  void anOpenLoopRunIssuesTheRequestedCallsAtItsRateAndCountsThemOffered() throws Exception {
    try (EchoServer echo = EchoServer.start()) {
      ManagedChannel channel = Channels.openDirect(echo.target());
      try {
        ClassifierGrpc.ClassifierStub stub = ClassifierGrpc.newStub(channel);
        Workload workload = Workload.defaultUrls();
        LoadGenerator.AsyncCall call =
            (seq, done) ->
                stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .classify(
                        workload.classifyRequest(seq, List.of(), false),
                        BenchCommand.observer(
                            done,
                            response -> new LoadGenerator.Answer(false, seq % 4 == 0, false)));

        BenchReport report =
            LoadGenerator.run(
                "echo",
                echo.target().toString(),
                call,
                new LoadGenerator.Plan(8, Duration.ZERO, null, 100, Duration.ofSeconds(60), 400));

        assertThat(report.quality().offered()).isEqualTo(100);
        assertThat(report.requests()).isEqualTo(100);
        assertThat(report.ok() + report.errorsByCode().getOrDefault("CLIENT_CAP", 0L))
            .isEqualTo(100);
        // Calls 0, 4, 8, ... answer degraded: 25 of 100, fewer only if some were CLIENT_CAP.
        assertThat(report.quality().degraded()).isBetween(1L, 25L);
        assertThat(report.goodput()).isLessThan(report.qps());
        assertThat(report.qualityLine()).contains("goodput", "offered");
      } finally {
        Channels.close(channel);
      }
    }
  }

  @Test
  void errorsAreCountedByStatusCode() throws Exception {
    try (EchoServer echo = EchoServer.start()) {
      ManagedChannel channel = Channels.openDirect(echo.target());
      try {
        // The echo server implements Scorer; a zero deadline fails every call before it is sent.
        ScorerGrpc.ScorerStub stub = ScorerGrpc.newStub(channel);
        LoadGenerator.AsyncCall call =
            (seq, done) ->
                stub.withDeadlineAfter(0, TimeUnit.NANOSECONDS)
                    .score(Workload.defaultUrls().scoreRequest(seq), observer(done));

        BenchReport report =
            LoadGenerator.run(
                "echo",
                "x",
                call,
                new LoadGenerator.Plan(2, Duration.ZERO, null, 50, Duration.ofSeconds(30)));

        assertThat(report.ok()).isZero();
        assertThat(report.errorsByCode()).containsEntry("DEADLINE_EXCEEDED", 50L);
        assertThat(report.p50Micros()).isZero();
      } finally {
        Channels.close(channel);
      }
    }
  }

  @Test
  void theCommandComparesTheTargetWithTheEchoServer() throws Exception {
    // A second echo server plays the target, so the command runs both phases end to end.
    try (EchoServer target = EchoServer.start()) {
      CliRun run =
          CliRun.of(
              "bench",
              "--target",
              target.target().toString(),
              "--requests",
              "200",
              "--warmup",
              "0",
              "--concurrency",
              "4",
              "--echo");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .containsPattern("router\\s+" + target.target() + "\\s+200\\s+200\\s+0\\s")
          .containsPattern("echo\\s+127\\.0\\.0\\.1:\\d+\\s+200\\s+200\\s+0\\s")
          .containsPattern(
              "overhead router/echo: p50 x\\d+\\.\\d\\d, p99 x\\d+\\.\\d\\d, QPS x\\d+\\.\\d\\d");
    }
  }

  @Test
  void byDefaultEveryClassifyBypassesTheCacheAndTheReportSaysSo() throws Exception {
    try (FakeRouter router = new FakeRouter(0).emulateCache()) {
      CliRun run =
          CliRun.of(
              "bench",
              "--target",
              router.target(),
              "--requests",
              "100",
              "--warmup",
              "0",
              "--concurrency",
              "2");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(router.bypassed()).isEqualTo(router.calls()).isEqualTo(100);
      assertThat(run.out())
          .contains("verdict cache bypassed (every call classified; --cache measures the hit path)")
          .containsPattern("HIT%")
          .containsPattern(
              "\\n  router\\s+"
                  + router.target()
                  + "\\s+100\\s+100\\s+0\\s+\\d+\\.\\d\\s+0\\.0\\s");
    }
  }

  @Test
  void cacheMeasuresTheHitPathLabelledAndPrintsTheHitRatio() throws Exception {
    try (FakeRouter router = new FakeRouter(0).emulateCache()) {
      // One worker over the 18 built-in URLs: the first pass misses, the other nine passes hit.
      int inputs = Workload.defaultUrls().size();
      CliRun run =
          CliRun.of(
              "bench",
              "--target",
              router.target(),
              "--requests",
              Integer.toString(10 * inputs),
              "--warmup",
              "0",
              "--concurrency",
              "1",
              "--cache");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(router.bypassed()).isZero();
      assertThat(run.out())
          .contains("through the verdict cache")
          .containsPattern(
              "\\n  router\\+cache\\s+"
                  + router.target()
                  + "\\s+"
                  + 10 * inputs
                  + "\\s+"
                  + 10 * inputs
                  + "\\s+0\\s+\\d+\\.\\d\\s+90\\.0\\s");
    }
  }

  @Test
  void cacheAndBypassCacheTogetherAreRefused() {
    CliRun run = CliRun.of("bench", "--cache", "--bypass-cache", "--requests", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not both");
  }

  @Test
  void scoreRpcDrivesTheScorerService() throws Exception {
    try (EchoServer target = EchoServer.start()) {
      CliRun run =
          CliRun.of(
              "bench",
              "--rpc",
              "score",
              "--target",
              target.target().toString(),
              "--requests",
              "100",
              "--warmup",
              "0",
              "--concurrency",
              "2");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .containsPattern("tier\\s+" + target.target() + "\\s+100\\s+100\\s+0\\s");
    }
  }

  @Test
  void nonLoopbackTargetsAreRefusedUnlessAllowed() {
    CliRun run = CliRun.of("bench", "--target", "192.0.2.1:50051", "--requests", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not a loopback address; pass --allow-remote");
  }

  @Test
  void echoResponsesCarryTheRequestId() {
    assertThat(
            EchoServer.classifyResponse(ClassifyRequest.newBuilder().setRequestId("r1").build())
                .getRequestId())
        .isEqualTo("r1");
  }
}
