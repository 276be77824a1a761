package dev.sieve.cli.batch;

import dev.sieve.cli.fleet.DefaultTargets;
import dev.sieve.cli.fleet.FleetService;
import dev.sieve.cli.support.Channels;
import dev.sieve.cli.support.DurationConverter;
import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HealthProbe.Health;
import dev.sieve.cli.support.HostPort;
import dev.sieve.core.util.ProgressMode;
import dev.sieve.proto.v1.ClassifierGrpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve classify-batch --in FILE --out FILE}: classifies a file of URLs or JSONL items
 * with the router and writes one JSONL result per item, in input order. For offline evaluation,
 * re-scoring a log, or checking a list against a policy.
 */
@Command(
    name = "classify-batch",
    description = {
      "Classify a file of URLs or JSONL items; write one JSONL result per item, in input order.",
      "",
      "Input: JSONL {\"id\",\"url\"?,\"text\"?,\"html\"?,\"tenant\"?} or one URL per line (id = line number), one",
      "format per file (a file mixing both is refused, exit 2); blank lines and #-comments are skipped.",
      "Output per item: {id,url,input,categories:{<id>:{score,decision}},action,alert,primary_category,",
      "degraded,tiers:{<tier>:<state>},degraded_reasons} or {id,url,error:{code,message}}",
      "(input: url_only, html or text; ./sieve eval drift reads this output).",
      "Degraded answers (a tier TIMEOUT, REJECTED, CIRCUIT_OPEN or ERROR) lower the items in flight",
      "(AIMD) and are classified again after a back-off; what stays degraded says \"degraded\": true.",
      "Exit codes: 0 every item written (item errors included), 1 I/O error, 2 bad usage or a mixed input file,",
      "3 router unreachable."
    },
    mixinStandardHelpOptions = true)
public final class ClassifyBatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "Input file (JSONL or one URL per line).")
  Path in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output JSONL file (overwritten).")
  Path out;

  @Option(
      names = "--tiers",
      split = ",",
      paramLabel = "TIER",
      description = "Consult only these tiers (url,content,llm), ungated.")
  List<String> tiers = List.of();

  @Option(
      names = "--concurrency",
      description =
          "Most requests in flight; fewer while the fleet answers degraded (default: ${DEFAULT-VALUE}).")
  int concurrency = 8;

  @Option(names = "--tenant", description = "Tenant id for items without their own \"tenant\".")
  String tenant = "";

  @Option(names = "--bypass-cache", description = "Skip the router's verdict cache.")
  boolean bypassCache;

  @Option(
      names = "--deadline",
      converter = DurationConverter.class,
      description = "Per-item deadline (default: 10s).")
  Duration deadline = Duration.ofSeconds(10);

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description = "Router address (default: .sieve/run/router.port, else 127.0.0.1:50051).")
  String target;

  @Option(names = "--no-progress", description = "Do not show progress on stderr.")
  boolean noProgress;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (concurrency < 1 || concurrency > 4096) {
      err.println("sieve classify-batch: --concurrency must be 1..4096, got " + concurrency);
      return 2;
    }
    if (!Files.isReadable(in)) {
      err.println("sieve classify-batch: cannot read input " + in);
      return 1;
    }
    try {
      if (Files.exists(out) && Files.isSameFile(in, out)) {
        err.println("sieve classify-batch: --out must not be the input file");
        return 2;
      }
    } catch (IOException e) {
      err.println("sieve classify-batch: " + e.getMessage());
      return 1;
    }
    try {
      BatchInput.detect(in);
    } catch (BatchInput.MixedFormatException e) {
      err.println("sieve classify-batch: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("sieve classify-batch: cannot read input " + in + ": " + e.getMessage());
      return 1;
    }

    HostPort router = DefaultTargets.resolve(target, FleetService.ROUTER);
    try (HealthProbe probe = new HealthProbe(router)) {
      Health health = probe.check(Duration.ofSeconds(5));
      if (health == Health.UNREACHABLE) {
        err.println("router not running at " + router + ": run ./sieve up");
        return 3;
      }
      if (health == Health.NOT_SERVING) {
        err.println(
            "router at " + router + " is NOT_SERVING (starting or stopping); see ./sieve status");
        return 3;
      }
    }

    ManagedChannel channel = Channels.open(router);
    try {
      BatchRunner runner =
          new BatchRunner(
              ClassifierGrpc.newStub(channel),
              new BatchRunner.Options(
                  concurrency,
                  deadline,
                  tenant,
                  tiers.stream().map(String::strip).filter(t -> !t.isEmpty()).toList(),
                  bypassCache));
      BatchSummary summary =
          runner.run(in, out, err, noProgress ? ProgressMode.OFF : ProgressMode.fromSettings());
      err.println("sieve classify-batch: " + summary.describe() + " -> " + out + " (input order)");
      if (summary.routerUnreachable()) {
        err.println(
            "router not running at "
                + router
                + ": run ./sieve up ("
                + summary.abortReason()
                + "; "
                + summary.written()
                + " of "
                + summary.total()
                + " items written)");
        return 3;
      }
      if (!summary.complete()) {
        err.println(
            "sieve classify-batch: stopped early: "
                + summary.abortReason()
                + " ("
                + summary.written()
                + " of "
                + summary.total()
                + " items written)");
        return 1;
      }
      return 0;
    } catch (IOException e) {
      err.println("sieve classify-batch: " + e.getMessage());
      return 1;
    } finally {
      Channels.close(channel);
      err.flush();
    }
  }
}
