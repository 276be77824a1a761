package dev.sieve.cli.bench;

import dev.sieve.cli.fleet.DefaultTargets;
import dev.sieve.cli.fleet.FleetService;
import dev.sieve.cli.support.Channels;
import dev.sieve.cli.support.DurationConverter;
import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HealthProbe.Health;
import dev.sieve.cli.support.HostPort;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve bench}: a closed-loop (or, with {@code --rate}, open-loop) gRPC load generator for
 * the router (Classify) or a tier (Scorer.Score), reporting QPS, latency percentiles and errors by
 * status code. With {@code --echo} it runs the same load against a bare echo server in this JVM and
 * prints the overhead ratio, which is the router's cost over the gRPC floor on this machine.
 *
 * <p>Classify calls bypass the router's verdict cache unless {@code --cache} is given: a small
 * input mix cycled for seconds would otherwise measure cache hits after the first pass and report
 * them as classification speed. The report prints the hit ratio the responses declare, and a cached
 * run is labelled as such.
 */
@Command(
    name = "bench",
    description = {
      "Load-test the router or a tier: QPS, p50/p90/p99/p99.9 latency, errors by status code.",
      "",
      "Closed loop: N workers, one async call in flight each. --rate R: open loop, R calls/s whatever the",
      "server does (overload); then GOODPUT = OK answers not degraded per second, and a quality line",
      "counts degraded verdicts, alerts (also on degraded verdicts) and degraded verdicts from the cache.",
      "Classify calls bypass the router's verdict cache (every call is classified) unless --cache;",
      "HIT%% is the share of answers the router says came from its cache.",
      "--echo also measures a bare echo gRPC server (same JVM, Netty, loopback) and prints target/echo ratios.",
      "Loopback targets only unless --allow-remote. Measurements belong in docs/benchmarks.md, not in tests."
    },
    mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {

  /** Which RPC to drive. */
  enum Rpc {
    classify,
    score
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Server to load (default: the router, or the url tier for --rpc score; ports from .sieve/run).")
  String target;

  @Option(
      names = "--rpc",
      description =
          "classify (Classifier.Classify on the router) or score (Scorer.Score on a tier). Default: ${DEFAULT-VALUE}.")
  Rpc rpc = Rpc.classify;

  @Option(
      names = "--concurrency",
      description = "Workers / calls in flight (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Measured phase length (default: 10s unless --requests).")
  Duration duration;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description =
          "Open loop: issue this many calls per second whatever the server does (overload, goodput); --concurrency then caps calls in flight (a call due beyond it is counted CLIENT_CAP). Default: closed loop.")
  double rate;

  @Option(names = "--requests", description = "Measured calls instead of a duration.")
  long requests;

  @Option(
      names = "--max-time",
      converter = DurationConverter.class,
      description = "Hard limit on the measured phase (default: 120s).")
  Duration maxTime = Duration.ofSeconds(120);

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unrecorded warmup (default: 2s).")
  Duration warmup = Duration.ofSeconds(2);

  @Option(
      names = "--deadline",
      converter = DurationConverter.class,
      description = "Per-call deadline (default: 5s).")
  Duration deadline = Duration.ofSeconds(5);

  @Option(
      names = "--in",
      paramLabel = "FILE",
      description =
          "Inputs to cycle through (JSONL or one URL per line; default: built-in URL mix).")
  Path in;

  @Option(
      names = "--tiers",
      split = ",",
      paramLabel = "TIER",
      description = "Classify only: consult only these tiers.")
  List<String> tiers = List.of();

  @Option(
      names = "--cache",
      description =
          "Classify only: go through the router's verdict cache (measures the hit path once inputs repeat; the run is labelled router+cache).")
  boolean cache;

  /** The default since --cache exists; still accepted so that older scripts keep working. */
  @Option(names = "--bypass-cache", hidden = true)
  boolean bypassCache;

  @Option(
      names = "--echo",
      description =
          "Also run the same load against an in-JVM echo server and print overhead ratios.")
  boolean echo;

  @Option(
      names = "--echo-only",
      description = "Only measure the echo server (the loopback gRPC floor of this machine).")
  boolean echoOnly;

  @Option(names = "--allow-remote", description = "Allow a non-loopback target.")
  boolean allowRemote;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (concurrency < 1 || concurrency > 10_000) {
      err.println("sieve bench: --concurrency must be 1..10000");
      return 2;
    }
    if (duration != null && requests > 0) {
      err.println("sieve bench: give --duration or --requests, not both");
      return 2;
    }
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      err.println("sieve bench: --rate must be a positive number of calls per second");
      return 2;
    }
    if (requests < 0) {
      err.println("sieve bench: --requests must be positive");
      return 2;
    }
    if (cache && bypassCache) {
      err.println("sieve bench: give --cache or --bypass-cache (the default), not both");
      return 2;
    }
    Duration measured = requests > 0 ? null : duration == null ? Duration.ofSeconds(10) : duration;
    if (measured != null && measured.compareTo(maxTime) > 0) {
      maxTime = measured;
    }
    LoadGenerator.Plan plan =
        new LoadGenerator.Plan(concurrency, warmup, measured, requests, maxTime, rate);
    Workload workload = in == null ? Workload.defaultUrls() : Workload.fromFile(in);

    List<BenchReport> reports = new ArrayList<>();
    String bound = requests > 0 ? requests + " requests" : DurationConverter.format(measured);
    if (!echoOnly) {
      HostPort host =
          DefaultTargets.resolve(target, rpc == Rpc.score ? FleetService.URL : FleetService.ROUTER);
      if (!host.isLoopback() && !allowRemote) {
        err.println(
            "sieve bench: "
                + host
                + " is not a loopback address; pass --allow-remote to load a remote server");
        return 2;
      }
      try (HealthProbe probe = new HealthProbe(host)) {
        if (probe.check(Duration.ofSeconds(5)) == Health.UNREACHABLE) {
          err.println("nothing is listening at " + host + ": run ./sieve up (or pass --target)");
          return 3;
        }
      }
      out.printf(
          "bench %s -> %s: %s, warmup %s, measuring %s, %d distinct inputs%s%n",
          rpc,
          host,
          loopNote(),
          DurationConverter.format(warmup),
          bound,
          workload.size(),
          cacheNote());
      out.flush();
      reports.add(
          measure(
              rpc == Rpc.score ? "tier" : cache ? "router+cache" : "router", host, workload, plan));
    }
    if (echo || echoOnly) {
      try (EchoServer server = EchoServer.start()) {
        out.printf(
            "bench %s -> echo server %s (same JVM): %s, warmup %s, measuring %s%n",
            rpc, server.target(), loopNote(), DurationConverter.format(warmup), bound);
        out.flush();
        reports.add(measure("echo", server.target(), workload, plan));
      }
    }

    out.println();
    out.println(BenchReport.header());
    reports.forEach(r -> out.println(r.row()));
    reports.stream().filter(r -> r.errors() > 0).forEach(r -> out.println(r.errorLine()));
    reports.stream()
        .map(BenchReport::qualityLine)
        .filter(line -> line != null)
        .forEach(out::println);
    if (reports.size() == 2) {
      BenchReport t = reports.get(0);
      BenchReport e = reports.get(1);
      out.printf(
          Locale.ROOT,
          "  overhead %s/echo: p50 x%.2f, p99 x%.2f, QPS x%.2f%n",
          t.label(),
          ratio(t.p50Micros(), e.p50Micros()),
          ratio(t.p99Micros(), e.p99Micros()),
          ratio(t.qps(), e.qps()));
    }
    out.flush();
    return reports.stream().allMatch(r -> r.ok() > 0) ? 0 : 1;
  }

  private String loopNote() {
    return rate > 0
        ? String.format(
            Locale.ROOT, "open loop at %.1f calls/s (at most %d in flight)", rate, concurrency)
        : concurrency + " workers";
  }

  private String cacheNote() {
    if (rpc != Rpc.classify) {
      return "";
    }
    return cache
        ? ", through the verdict cache (--cache: after the first pass over the inputs, mostly hits)"
        : ", verdict cache bypassed (every call classified; --cache measures the hit path)";
  }

  private BenchReport measure(
      String label, HostPort host, Workload workload, LoadGenerator.Plan plan)
      throws InterruptedException {
    // The echo server runs in this JVM without TLS; the fleet may run with it (./sieve up --tls).
    ManagedChannel channel =
        label.equals("echo") ? Channels.openLocalPlaintextDirect(host) : Channels.openDirect(host);
    try {
      LoadGenerator.AsyncCall call =
          rpc == Rpc.score ? scoreCall(channel, workload) : classifyCall(channel, workload);
      return LoadGenerator.run(label, host.toString(), call, plan);
    } finally {
      Channels.close(channel);
    }
  }

  private LoadGenerator.AsyncCall classifyCall(ManagedChannel channel, Workload workload) {
    ClassifierGrpc.ClassifierStub stub = ClassifierGrpc.newStub(channel);
    List<String> tierList = tiers.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    return (sequence, onDone) ->
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .classify(
                workload.classifyRequest(sequence, tierList, !cache),
                observer(
                    onDone,
                    response ->
                        new LoadGenerator.Answer(
                            response.getCacheHit(), response.getDegraded(), response.getAlert())));
  }

  private LoadGenerator.AsyncCall scoreCall(ManagedChannel channel, Workload workload) {
    ScorerGrpc.ScorerStub stub = ScorerGrpc.newStub(channel);
    return (sequence, onDone) ->
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .score(workload.scoreRequest(sequence), observer(onDone, response -> null));
  }

  /** Reports a unary call's status and, on success, what {@code answer} says of its response. */
  static <T> StreamObserver<T> observer(
      LoadGenerator.Completion onDone, Function<T, LoadGenerator.Answer> answer) {
    return new StreamObserver<>() {
      private LoadGenerator.Answer hit;

      @Override
      public void onNext(T value) {
        hit = answer.apply(value);
      }

      @Override
      public void onError(Throwable t) {
        onDone.done(Status.fromThrowable(t).getCode(), null);
      }

      @Override
      public void onCompleted() {
        onDone.done(Status.Code.OK, hit);
      }
    };
  }

  private static double ratio(double a, double b) {
    return b > 0 ? a / b : Double.NaN;
  }
}
