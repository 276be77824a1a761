package dev.sieve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.cli.testing.HelloCommand;
import dev.sieve.core.cli.SieveCommand;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class SieveCliTest {

  @Test
  void commandsContributedThroughServiceLoaderBecomeSubCommands() {
    CliRun run = CliRun.of("hello-test", "--name", "sieve");

    assertThat(run.exitCode()).isEqualTo(7);
    assertThat(run.out()).isEqualTo("hello sieve" + System.lineSeparator());
    assertThat(CliRun.of("--help").out())
        .contains("hello-test")
        .contains("classify-batch")
        .contains("Handled by the ./sieve script itself");
  }

  /** Not annotated: cannot be a sub-command. */
  static final class Unnamed implements SieveCommand {
    @Override
    public Integer call() {
      return 0;
    }
  }

  /** Wants a built-in's name. */
  @Command(name = "up")
  static final class Squatter implements SieveCommand {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Test
  void brokenOrClashingContributionsAreSkippedWithAWarning() {
    CommandLine commandLine = new CommandLine(new SieveCli());
    List<String> problems =
        SieveCli.addContributedCommands(
            commandLine,
            List.<SieveCommand>of(new Unnamed(), new Squatter(), new HelloCommand()).iterator());

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("Unnamed has no @Command(name = ...)");
    assertThat(problems.get(1)).contains("wants the name 'up', which is taken");
    assertThat(commandLine.getSubcommands()).containsKey("hello-test");
    Object up = commandLine.getSubcommands().get("up").getCommand();
    assertThat(up).isNotInstanceOf(Squatter.class);
  }

  @Test
  void versionNamesTheRuntimeAndHome() {
    CliRun run = CliRun.of("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("sieve ")
        .contains("java " + Runtime.version().feature())
        .contains("SIEVE_HOME ");
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRun run = CliRun.of("frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument");
  }
}
