package dev.sieve.lab.data.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.card.DataCard;
import dev.sieve.lab.data.mapping.LabelMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve data card}: regenerates the data card of a version (default: CURRENT), or with
 * {@code --timings} prints how long its last build took on this machine. Timings stay out of the
 * committed card so that a rebuild leaves the working tree unchanged.
 */
@Command(
    name = "card",
    description = {
      "Regenerate a dataset version's data card.",
      "With --timings, print the version's last build timings on this machine instead (they are kept",
      "out of the committed card, in the untracked " + DatasetBuilder.BUILD_TIMINGS + ")."
    })
public final class CardCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "data/datasets", description = "Datasets folder.")
  Path out;

  // --version names the dataset version here, so picocli's standard -V/--version mixin cannot be
  // used;
  // help is declared explicitly instead.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean helpRequested;

  @Option(names = "--version", description = "Version id (default: the one named by CURRENT).")
  String version;

  @Option(
      names = "--mapping",
      defaultValue = "data/mapping/label-mapping.tsv",
      description = "Label mapping table.")
  Path mapping;

  @Option(
      names = "--timings",
      description =
          "Print the last build's wall/CPU time, load and JDK on this machine; do not regenerate.")
  boolean timings;

  @Override
  public Integer call() throws Exception {
    Path datasets = Paths.resolve(out);
    DatasetVersion v =
        version == null
            ? DatasetVersion.current(datasets)
            : DatasetVersion.open(datasets.resolve(version));
    if (timings) {
      return printTimings(v);
    }
    LabelMapping m = LabelMapping.load(Paths.resolve(mapping));
    String expected = v.manifest().path("mapping_sha256").asText();
    if (!expected.equals(m.sha256())) {
      System.err.println(
          "mapping file changed since "
              + v.id()
              + " was built (sha256 "
              + m.sha256()
              + " != "
              + expected
              + "): rebuild instead of regenerating the card");
      return 2;
    }
    DataCard.write(v.dir(), m, System.err);
    return 0;
  }

  private static int printTimings(DatasetVersion v) throws IOException {
    Path file = v.dir().resolve(DatasetBuilder.BUILD_TIMINGS);
    if (!Files.isRegularFile(file)) {
      System.err.println(
          "no build timings for "
              + v.id()
              + " on this machine ("
              + file
              + " is written by ./sieve data build and never committed)");
      return 1;
    }
    JsonNode t = DatasetVersion.mapper().readTree(file.toFile());
    System.out.printf(
        Locale.ROOT,
        "%s built in %.1f s wall, %.1f s CPU on %d CPUs (system load average %.1f at start; Java %s), %s%n",
        v.id(),
        t.path("build_seconds").asDouble(),
        t.path("cpu_seconds").asDouble(),
        t.path("cpus").asInt(),
        t.path("load_average_at_start").asDouble(),
        t.path("java").asText(),
        t.path("scope").asText());
    return 0;
  }
}
