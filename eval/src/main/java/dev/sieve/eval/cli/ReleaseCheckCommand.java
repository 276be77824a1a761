package dev.sieve.eval.cli;

import dev.sieve.eval.gate.GateReport;
import dev.sieve.eval.gate.ReleaseGate;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./sieve release check <model-dir>}: exit 0 when the gate passes, 1 when it fails. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Fail unless the model card exists, matches the artifact SHA-256, was computed on",
      "data/datasets/CURRENT, and meets the gate policy (floors, over-blocking ceilings, no",
      "regression beyond tolerance vs models/<name>/RELEASED)."
    })
public final class ReleaseCheckCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Model version directory (models/<name>/<version>).")
  Path modelDir;

  @Option(
      names = "--policy",
      description = "Policy file (default: <home>/release-gate.yaml, else built-in).")
  Path policy;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("release check", this::run);
  }

  private Integer run() {
    Path root = home != null ? home.toAbsolutePath().normalize() : EvaluationPolicy.home();
    GateReport report = ReleaseGate.check(modelDir, root, EvaluationPolicy.resolve(policy, root));
    System.out.print(report.render());
    return report.passed() ? 0 : 1;
  }
}
