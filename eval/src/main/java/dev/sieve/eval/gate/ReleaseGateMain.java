package dev.sieve.eval.gate;

import dev.sieve.eval.policy.EvaluationPolicy;
import java.nio.file.Path;

/**
 * Entry point for build tools (exec-maven-plugin, CI scripts): {@code java -cp ...
 * dev.sieve.eval.gate.ReleaseGateMain <model-dir> [policy-file]}. Prints every finding and exits 1
 * when the gate fails, 2 on usage errors.
 */
public final class ReleaseGateMain {

  private ReleaseGateMain() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println(
          "usage: ReleaseGateMain <model-dir> [policy-file]   (SIEVE_HOME = repository root)");
      System.exit(2);
    }
    Path home = EvaluationPolicy.home();
    EvaluationPolicy policy =
        EvaluationPolicy.resolve(args.length == 2 ? Path.of(args[1]) : null, home);
    GateReport report = ReleaseGate.check(Path.of(args[0]), home, policy);
    System.out.print(report.render());
    System.exit(report.passed() ? 0 : 1);
  }
}
