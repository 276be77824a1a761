package dev.sieve.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./sieve eval fleet: wired under eval, and it finds the router ./sieve up started. */
class EvalFleetCommandTest {

  @Test
  void theRouterIsThePortSieveUpRecordedElseTheDocumentedDefault(@TempDir Path home) throws Exception {
    assertThat(EvalFleetCommand.defaultRouter(home)).isEqualTo("127.0.0.1:50051");
    Files.createDirectories(home.resolve(".sieve/run"));
    Files.writeString(home.resolve(".sieve/run/router.port"), "51201\n");
    assertThat(EvalFleetCommand.defaultRouter(home)).isEqualTo("127.0.0.1:51201");
  }

  @Test
  void fleetIsAnEvalSubcommand() {
    CommandLine cli = new CommandLine(new EvalCommand());
    assertThat(cli.getSubcommands()).containsKeys("run", "card", "drift", "fleet");
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute()).isNotZero();
    assertThat(err.toString()).contains("missing sub-command: run, card, drift or fleet");
  }
}
