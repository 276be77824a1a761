package dev.sieve.lab.data.cli;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.lab.data.card.DataCard;
import dev.sieve.lab.data.mapping.LabelMapping;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sieve data card}: regenerates the data card of a version (default: CURRENT). */
@Command(name = "card", mixinStandardHelpOptions = true, description = "Regenerate a dataset version's data card.")
public final class CardCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "data/datasets", description = "Datasets folder.")
  Path out;

  @Option(names = "--version", description = "Version id (default: the one named by CURRENT).")
  String version;

  @Option(names = "--mapping", defaultValue = "data/mapping/label-mapping.tsv", description = "Label mapping table.")
  Path mapping;

  @Override
  public Integer call() throws Exception {
    Path datasets = Paths.resolve(out);
    DatasetVersion v = version == null ? DatasetVersion.current(datasets) : DatasetVersion.open(datasets.resolve(version));
    LabelMapping m = LabelMapping.load(Paths.resolve(mapping));
    String expected = v.manifest().path("mapping_sha256").asText();
    if (!expected.equals(m.sha256())) {
      System.err.println("mapping file changed since " + v.id() + " was built (sha256 " + m.sha256()
          + " != " + expected + "): rebuild instead of regenerating the card");
      return 2;
    }
    DataCard.write(v.dir(), m, System.err);
    return 0;
  }
}
