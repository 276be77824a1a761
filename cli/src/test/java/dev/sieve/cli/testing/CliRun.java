package dev.sieve.cli.testing;

import dev.sieve.cli.SieveCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code ./sieve} command line in-process and captures what it prints. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    CommandLine commandLine = SieveCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
  }
}
