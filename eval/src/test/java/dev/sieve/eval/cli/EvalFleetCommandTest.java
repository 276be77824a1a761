package dev.sieve.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** ./sieve eval fleet: wired under eval, and it finds the router ./sieve up started. */
class EvalFleetCommandTest {

  @Test
  void fleetIsAnEvalSubcommand() {
    CommandLine cli = new CommandLine(new EvalCommand());
    assertThat(cli.getSubcommands()).containsKeys("run", "card", "drift", "fleet");
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute()).isNotZero();
    assertThat(err.toString())
        .contains("missing sub-command: run, card, drift, drift-rules, fleet, shadow or online");
  }
}
