package dev.sieve.eval.cli;

import dev.sieve.core.cli.FleetTargets;
import dev.sieve.eval.pipeline.FleetEvaluation;
import dev.sieve.eval.policy.EvaluationPolicy;
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
      "card is stale."
    })
public final class EvalFleetCommand implements Callable<Integer> {

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Router address (default: the port in"
              + " .sieve/run/router.port, else 127.0.0.1:50051).")
  String target;

  @Option(
      names = "--policy",
      description =
          "The policy file the router runs (default: its embedded"
              + " default, "
              + FleetEvaluation.DEFAULT_POLICY
              + ").")
  Path policy;

  @Option(
      names = "--home",
      description = "Repository root holding data/ and models/ (default: SIEVE_HOME or .).")
  Path home;

  @Option(
      names = "--concurrency",
      defaultValue = "4",
      description = "Concurrent Classify calls (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--deadline",
      defaultValue = "30s",
      converter = DeadlineConverter.class,
      description = "Per-call deadline (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description =
          "At most N examples per input kind (deterministic"
              + " sample; 0 = all; a card for release uses all).")
  int limit;

  @Option(
      names = "--release",
      description = "Point models/sieve-fleet/RELEASED at the new version.")
  boolean release;

  @Override
  public Integer call() throws Exception {
    Path h = home != null ? home : EvaluationPolicy.home();
    Path dir =
        new FleetEvaluation(
                new FleetEvaluation.Options(
                    h, FleetTargets.router(target), policy, concurrency, deadline, limit, release),
                System.out::println)
            .run();
    System.out.println(dir);
    return 0;
  }
}
