package dev.sieve.lab.data.cli;

import dev.sieve.lab.data.DatasetBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sieve data build}: raw sources in, one dataset version (and its card) out. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description =
        "Build a dataset version from data/raw; prints the version id; updates data/datasets/CURRENT.")
public final class BuildCommand implements Callable<Integer> {

  @Option(
      names = "--raw",
      defaultValue = "data/raw",
      description = "Raw sources (default: ${DEFAULT-VALUE}).")
  Path raw;

  @Option(
      names = "--out",
      defaultValue = "data/datasets",
      description = "Datasets folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--mapping",
      defaultValue = "data/mapping/label-mapping.tsv",
      description = "Label mapping table.")
  Path mapping;

  @Option(
      names = "--overlays",
      defaultValue = "data/overlays",
      description = "Reviewed label overlays.")
  Path overlays;

  @Option(
      names = "--seed",
      defaultValue = DatasetBuilder.DEFAULT_SEED,
      description = "Split seed (default: ${DEFAULT-VALUE}).")
  String seed;

  @Option(
      names = "--error-budget",
      defaultValue = "0.05",
      description =
          "Largest tolerated share of invalid lines in any one input file (default: ${DEFAULT-VALUE}).")
  double errorBudget;

  @Option(
      names = "--max-file-errors",
      defaultValue = "0",
      description =
          "Largest tolerated number of file-level errors: unreadable/missing file, unknown source category (default: ${DEFAULT-VALUE}).")
  int maxFileErrors;

  @Option(
      names = "--no-current",
      description = "Do not point data/datasets/CURRENT at the new version.")
  boolean noCurrent;

  @Override
  public Integer call() throws Exception {
    DatasetBuilder.Options options =
        new DatasetBuilder.Options(
            Paths.resolve(raw),
            Paths.resolve(out),
            Paths.resolve(mapping),
            Paths.resolve(overlays),
            seed,
            errorBudget,
            maxFileErrors,
            !noCurrent);
    DatasetBuilder.Result result = new DatasetBuilder(options, System.err).build();
    if (!result.ok()) {
      System.err.println("BUILD FAILED: error budget exceeded");
      for (String v : result.budgetViolations()) {
        System.err.println("  " + v);
      }
      System.err.println(
          "details: " + Paths.resolve(out).resolve("failed-" + DatasetBuilder.BUILD_REPORT));
      return 2;
    }
    System.out.println(result.versionId());
    System.err.printf(
        Locale.ROOT,
        "dataset %s built in %.1f s: %s%n",
        result.versionId(),
        result.seconds(),
        result.versionDir());
    return 0;
  }
}
