package dev.sieve.eval.cli;

import dev.sieve.eval.pipeline.FleetEvaluation;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve eval fleet}: the fleet card (router + tiers + policy, measured on the served
 * verdict). Needs a running fleet ({@code ./sieve up}).
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the running fleet (router + every tier + its policy) on the test split of texts, real pages",
      "and ordinary sites, and write the fleet card to models/sieve-fleet/<version>/ (needs ./sieve up).",
      "The version hashes every released tier model and the policy, so the release gate knows when the",
      "card is stale."})
public final class EvalFleetCommand implements Callable<Integer> {

  @Option(names = "--router", description = "host:port of the router (default: the port ./sieve up recorded in"
      + " .sieve/run/router.port, else 127.0.0.1:50051).")
  String router;

  @Option(names = "--policy", description = "The policy file the router runs (default: its embedded"
      + " default, " + FleetEvaluation.DEFAULT_POLICY + ").")
  Path policy;

  @Option(names = "--home", description = "Repository root holding data/ and models/ (default: SIEVE_HOME or .).")
  Path home;

  @Option(names = "--concurrency", defaultValue = "4", description = "Concurrent Classify calls (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--deadline-ms", defaultValue = "30000", description = "Per-call deadline (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--limit", defaultValue = "0", description = "At most N examples per input kind (deterministic"
      + " sample; 0 = all; a card for release uses all).")
  int limit;

  @Option(names = "--release", description = "Point models/sieve-fleet/RELEASED at the new version.")
  boolean release;

  @Override
  public Integer call() throws Exception {
    Path h = home != null ? home : EvaluationPolicy.home();
    String target = router != null ? router : defaultRouter(h);
    Path dir = new FleetEvaluation(new FleetEvaluation.Options(h, target, policy, concurrency,
        Duration.ofMillis(deadlineMs), limit, release), System.out::println).run();
    System.out.println(dir);
    return 0;
  }

  /** The router port ./sieve up recorded, else the documented default. */
  static String defaultRouter(Path home) throws java.io.IOException {
    Path port = home.resolve(".sieve/run/router.port");
    return "127.0.0.1:" + (Files.isRegularFile(port) ? Files.readString(port, StandardCharsets.UTF_8).strip() : "50051");
  }
}
