package dev.sieve.eval.cli;

import dev.sieve.core.cli.SieveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve release}: release tooling; {@code release check <model-dir>} runs the gate, {@code
 * promote} and {@code rollback} move a tier's candidate version (#15).
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Release tooling: 'check' runs the release gate on a model version; 'promote' and 'rollback' move a tier's candidate.",
    subcommands = {
      ReleaseCheckCommand.class,
      ReleasePromoteCommand.class,
      ReleaseRollbackCommand.class
    })
public final class ReleaseCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "missing sub-command: check, promote or rollback");
  }
}
