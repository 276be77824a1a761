package dev.sieve.lab.data.cli;

import dev.sieve.core.cli.SieveCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve data ...}: the data pipeline's commands. Discovered by the cli through {@code
 * META-INF/services/dev.sieve.core.cli.SieveCommand}; also runnable directly through {@link
 * dev.sieve.lab.data.DataMain}.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Build and inspect versioned datasets from the raw sources in data/raw.",
    subcommands = {
      ImportCommand.class,
      BuildCommand.class,
      CardCommand.class,
      ReviewQueueCommand.class,
      OverlayCommand.class
    })
public final class DataCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return CommandLine.ExitCode.USAGE;
  }
}
