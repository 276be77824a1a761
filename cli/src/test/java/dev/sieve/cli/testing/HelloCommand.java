package dev.sieve.cli.testing;

import dev.sieve.core.cli.SieveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A contributed command, registered in the test resources' META-INF/services like a module would.
 */
@Command(
    name = "hello-test",
    mixinStandardHelpOptions = true,
    description = "Test command contributed through ServiceLoader.")
public final class HelloCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Option(names = "--name", description = "Who to greet.")
  String name = "world";

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("hello " + name);
    return 7;
  }
}
