package dev.sieve.eval.cli;

import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.release.Deployments;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./sieve release rollback <tier>}: undoes the tier's last promotion in one command. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Undo the tier's last promotion (deployments/<tier>.json): a candidate goes back to its previous",
      "stage or away, a promotion to serving writes the previous version back to models/<name>/RELEASED."
    })
public final class ReleaseRollbackCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Tier: url, content or llm.")
  String tier;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("release rollback", this::run);
  }

  private Integer run() throws Exception {
    Path root = home != null ? home.toAbsolutePath().normalize() : EvaluationPolicy.home();
    Deployments deployments =
        new Deployments(
            root,
            dir -> {
              throw new IllegalStateException("rollback runs no gate");
            },
            Clock.systemUTC());
    try {
      deployments.rollback(tier).forEach(System.out::println);
      return 0;
    } catch (Deployments.Refused refused) {
      System.err.println("sieve release rollback: refused: " + refused.getMessage());
      return 1;
    }
  }
}
