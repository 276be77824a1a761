package dev.sieve.eval.cli;

import dev.sieve.core.cli.SieveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve eval}: evaluate a tier's model against a dataset version and write its card
 * ({@code run}), re-render a card ({@code card}), or measure score drift against a card ({@code
 * drift}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a model by the evaluation standard (docs/evaluation-standard.md).",
    subcommands = {
      EvalRunCommand.class,
      EvalCardCommand.class,
      EvalDriftCommand.class,
      EvalDriftRulesCommand.class,
      EvalFleetCommand.class,
      EvalShadowCommand.class,
      EvalOnlineCommand.class
    })
public final class EvalCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing sub-command: run, card, drift, drift-rules, fleet, shadow or online");
  }
}
