package dev.sieve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code ./sieve} command, built in or contributed by an offline module, answers {@code
 * --help} with a complete usage text (a description for the command and for every option and
 * parameter) that fits a 100-column terminal, without running anything. The elapsed time of each is
 * printed (a help that builds or loads data would show up there); it is not asserted, since timings
 * on shared machines are noise.
 */
class EveryCommandHelpTest {

  @Test
  void everyCommandHasACompleteHelpThatFitsTheTerminal() {
    Map<String, CommandLine> commands = new TreeMap<>();
    collect("sieve", SieveCli.commandLine(), commands);
    assertThat(commands.keySet())
        .as("built-in and contributed commands")
        .contains(
            "sieve classify",
            "sieve classify-batch",
            "sieve up",
            "sieve data",
            "sieve eval run",
            "sieve explain",
            "sieve train-url",
            "sieve train-content",
            "sieve fleet-vs-tiers",
            "sieve annotate agreement-reference");

    List<String> problems = new ArrayList<>();
    StringBuilder timings = new StringBuilder();
    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      String path = entry.getKey();
      CommandSpec spec = entry.getValue().getCommandSpec();
      String commandDescription = String.join(" ", spec.usageMessage().description());
      if (commandDescription.isBlank()) {
        problems.add(path + ": no description");
      }
      for (ArgSpec arg : spec.args()) {
        if (arg instanceof OptionSpec option && option.usageHelp()
            || arg instanceof OptionSpec o && o.versionHelp()) {
          continue;
        }
        if (arg.hidden()) {
          continue;
        }
        String description = String.join(" ", arg.description());
        if (description.isBlank()) {
          problems.add(path + ": " + label(arg) + " has no description");
        }
      }

      String[] args = (path.replaceFirst("^sieve ?", "") + " --help").strip().split(" ");
      CommandLine fresh = SieveCli.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      fresh.setOut(new PrintWriter(out));
      fresh.setErr(new PrintWriter(err));
      // picocli warns on System.err when it cannot format a description (a lone '%': write %%)
      ByteArrayOutputStream warnings = new ByteArrayOutputStream();
      PrintStream systemErr = System.err;
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      long started = System.nanoTime();
      int code;
      try {
        code = fresh.execute(args);
      } finally {
        System.setErr(systemErr);
      }
      long micros = (System.nanoTime() - started) / 1_000;
      warnings
          .toString(StandardCharsets.UTF_8)
          .lines()
          .filter(line -> line.contains("[picocli WARN]"))
          .forEach(line -> problems.add(path + " --help: " + line));
      timings.append(String.format("%-40s %8.1f ms%n", path + " --help", micros / 1000.0));
      if (code != 0) {
        problems.add(path + " --help: exit " + code + " " + err);
        continue;
      }
      String help = out.toString();
      if (!help.startsWith("Usage: ")) {
        problems.add(path + " --help: no usage line");
      }
      help.lines()
          .filter(line -> line.length() > SieveCli.USAGE_WIDTH)
          .forEach(
              line ->
                  problems.add(
                      path + " --help: line over " + SieveCli.USAGE_WIDTH + " columns: " + line));
    }
    System.out.print(timings);
    assertThat(problems).isEmpty();
  }

  private static void collect(String path, CommandLine commandLine, Map<String, CommandLine> into) {
    into.put(path, commandLine);
    commandLine
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              // aliases once; picocli's "help" subcommand prints its parent's help
              if (sub.getCommandSpec().name().equals(name) && !name.equals("help")) {
                collect(path + " " + name, sub, into);
              }
            });
  }

  private static String label(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }
}
