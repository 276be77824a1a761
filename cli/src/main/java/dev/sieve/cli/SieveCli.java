package dev.sieve.cli;

import dev.sieve.cli.auth.AuthCommand;
import dev.sieve.cli.batch.ClassifyBatchCommand;
import dev.sieve.cli.bench.BenchCommand;
import dev.sieve.cli.classify.ClassifyCommand;
import dev.sieve.cli.fleet.DownCommand;
import dev.sieve.cli.fleet.StatusCommand;
import dev.sieve.cli.fleet.UpCommand;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.util.Settings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ./sieve} command. Built-in sub-commands run and query the local fleet; every module on
 * the classpath can add its own (data, train, eval, release ...) by implementing {@link
 * SieveCommand} and listing it for {@link ServiceLoader}, so the cli never depends on their
 * internals at compile time.
 */
@Command(
    name = "sieve",
    mixinStandardHelpOptions = true,
    versionProvider = CliVersion.class,
    description =
        "Sieve: K-12 web-filtering classifier fleet. Run and query it locally, and drive the offline pipeline.",
    subcommands = {
      VersionCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      ClassifyCommand.class,
      ClassifyBatchCommand.class,
      BenchCommand.class,
      AuthCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Handled by the ./sieve script itself:",
      "  test            Run the whole test suite exactly as CI does.",
      "  build           Build everything (automatic on first use).",
      "",
      "Settings (-Dsieve.x.y or environment SIEVE_X_Y):",
      "  SIEVE_HOME               data/ and models/ (default: the checkout)",
      "  SIEVE_BUILD_ROOT         where <module>/target jars are (default: SIEVE_HOME)",
      "  SIEVE_RUNTIME_DIR        pid files and logs (default: SIEVE_HOME/.sieve)",
      "  SIEVE_SERVICE_JAVA_OPTS  JVM options for services started by `up`",
      "  SIEVE_PROGRESS           tty | plain | off",
      "  SIEVE_DEBUG=1            stack traces on errors"
    })
public final class SieveCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // Our own name, so a logback.xml contributed by another module on the classpath cannot win.
      System.setProperty("logback.configurationFile", "sieve-cli-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }

  /** Columns of every command's help (and of the test that holds help to it). */
  public static final int USAGE_WIDTH = 100;

  /** The command line with the built-in commands and every contributed {@link SieveCommand}. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new SieveCli());
    List<String> problems =
        addContributedCommands(commandLine, ServiceLoader.load(SieveCommand.class).iterator());
    PrintWriter err = commandLine.getErr();
    problems.forEach(p -> err.println("sieve: warning: " + p));
    err.flush();
    // Help fits a 100-column terminal; picocli wraps longer descriptions at word boundaries.
    commandLine.setUsageHelpWidth(USAGE_WIDTH);
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          PrintWriter e = cmd.getErr();
          e.println("sieve " + cmd.getCommandName() + ": error: " + describe(exception));
          if (Settings.get("SIEVE_DEBUG").isPresent()) {
            exception.printStackTrace(e);
          } else {
            e.println("(set SIEVE_DEBUG=1 for the stack trace)");
          }
          e.flush();
          return 1;
        });
    return commandLine;
  }

  /**
   * Adds each contributed command as a sub-command named by its {@code @Command}. A provider that
   * fails to load, lacks {@code @Command}, or reuses a taken name is skipped with a warning: one
   * broken module must not take the whole cli down.
   *
   * @return warnings for skipped providers
   */
  static List<String> addContributedCommands(
      CommandLine commandLine, Iterator<SieveCommand> providers) {
    List<String> problems = new ArrayList<>();
    while (true) {
      SieveCommand command;
      try {
        if (!providers.hasNext()) {
          break;
        }
        command = providers.next();
      } catch (ServiceConfigurationError e) {
        problems.add("skipping a contributed command that failed to load: " + describe(e));
        continue;
      }
      Command annotation = command.getClass().getAnnotation(Command.class);
      if (annotation == null
          || annotation.name().isEmpty()
          || annotation.name().equals("<main class>")) {
        problems.add(command.getClass().getName() + " has no @Command(name = ...); skipped");
        continue;
      }
      String name = annotation.name();
      if (commandLine.getSubcommands().containsKey(name)) {
        problems.add(
            command.getClass().getName()
                + " wants the name '"
                + name
                + "', which is taken; skipped");
        continue;
      }
      try {
        commandLine.addSubcommand(command);
      } catch (CommandLine.InitializationException e) {
        problems.add("skipping " + command.getClass().getName() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
