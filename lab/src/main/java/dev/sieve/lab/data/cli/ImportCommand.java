package dev.sieve.lab.data.cli;

import dev.sieve.lab.data.RawImporter;
import dev.sieve.lab.data.mapping.LabelMapping;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve data import}: copies the used raw sources into data/raw with LICENSE and SOURCE.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import the raw sources Sieve uses from the shared folder into data/raw (once per snapshot).")
public final class ImportCommand implements Callable<Integer> {

  @Option(
      names = "--from",
      description = "Shared raw-data folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "../shared/data")
  Path from;

  @Option(
      names = "--raw",
      description = "Target raw folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "data/raw")
  Path raw;

  @Option(
      names = "--mapping",
      description = "Label mapping (decides which list categories are imported).",
      defaultValue = "data/mapping/label-mapping.tsv")
  Path mapping;

  @Override
  public Integer call() throws Exception {
    RawImporter importer =
        new RawImporter(
            Paths.resolve(from),
            Paths.resolve(raw),
            LabelMapping.load(Paths.resolve(mapping)),
            System.out);
    int files = importer.importAll();
    System.out.println("imported " + files + " files into " + Paths.resolve(raw));
    return 0;
  }
}
