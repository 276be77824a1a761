package dev.sieve.cli;

import dev.sieve.cli.support.SieveLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve version}: the cli version plus what it runs on and against (Java, SIEVE_HOME,
 * current dataset), the first things to paste into a bug report.
 */
@Command(
    name = "version",
    description = "Print the Sieve version, the Java runtime, SIEVE_HOME and the current dataset.",
    mixinStandardHelpOptions = true)
public final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SieveLayout layout = SieveLayout.fromSettings();
    out.println("sieve " + CliVersion.current());
    out.printf(
        "java %s (%s) at %s%n",
        Runtime.version(),
        System.getProperty("java.vendor", "?"),
        System.getProperty("java.home", "?"));
    out.println("SIEVE_HOME " + layout.home());
    out.println("dataset " + currentDataset(layout.home()));
    out.flush();
    return 0;
  }

  private static String currentDataset(Path home) {
    Path pointer = home.resolve("data").resolve("datasets").resolve("CURRENT");
    try {
      return Files.readString(pointer, StandardCharsets.UTF_8).strip() + " (data/datasets/CURRENT)";
    } catch (IOException e) {
      return "none (no data/datasets/CURRENT; build it with ./sieve data build)";
    }
  }
}
