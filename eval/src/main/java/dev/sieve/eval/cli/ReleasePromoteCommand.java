package dev.sieve.eval.cli;

import dev.sieve.eval.gate.ReleaseGate;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.release.Deployments;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve release promote <tier> <candidate model dir> --to shadow|canary|serving}: moves a
 * candidate one stage on, only when its release gate passes and (canary, serving) its shadow
 * disagreement report is attached and its flagged categories explained ({@link Deployments}).
 */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Move a tier's candidate version to shadow, canary or serving (in that order), recorded in",
      "deployments/<tier>.json. Refused unless its release gate passes; canary and serving also need the",
      "candidate's shadow disagreement report (./sieve eval shadow FILE --out DIR) with enough comparisons,",
      "and an --explanation when it flags categories. Serving rewrites models/<name>/RELEASED.",
      "Undo: ./sieve release rollback <tier>."
    })
public final class ReleasePromoteCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Tier: url, content or llm.")
  String tier;

  @Parameters(
      index = "1",
      description = "Candidate model version directory (models/<name>/<version>).")
  Path candidate;

  @Option(names = "--to", required = true, description = "shadow, canary or serving.")
  String to;

  @Option(
      names = "--shadow-report",
      description = "Directory written by ./sieve eval shadow --out (or its shadow-report.json).")
  Path shadowReport;

  @Option(
      names = "--explanation",
      description = "Why the categories the shadow report flags are acceptable (recorded).")
  String explanation;

  @Option(
      names = "--min-comparisons",
      description = "Comparisons the shadow report needs at least (default: ${DEFAULT-VALUE}).")
  long minComparisons = 100;

  @Option(
      names = "--policy",
      description = "Gate policy file (default: <home>/release-gate.yaml, else built-in).")
  Path policy;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("release promote", this::run);
  }

  private Integer run() throws Exception {
    Path root = home != null ? home.toAbsolutePath().normalize() : EvaluationPolicy.home();
    EvaluationPolicy gatePolicy = EvaluationPolicy.resolve(policy, root);
    Deployments deployments =
        new Deployments(root, dir -> ReleaseGate.check(dir, root, gatePolicy), Clock.systemUTC());
    try {
      deployments
          .promote(
              tier,
              root.resolve(candidate),
              Deployments.Stage.parse(to),
              shadowReport,
              explanation,
              minComparisons)
          .forEach(System.out::println);
      return 0;
    } catch (Deployments.Refused refused) {
      System.err.println("sieve release promote: refused: " + refused.getMessage());
      return 1;
    }
  }
}
