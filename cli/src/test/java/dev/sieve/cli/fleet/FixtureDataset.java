package dev.sieve.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny dataset for fleet tests that start the real services: {@code data/datasets/CURRENT} -> a
 * version whose {@code domains.jsonl.gz} lists pokerstars.com as gambling (and coolmathgames.com as
 * games), so the url tier has a verdict with concrete evidence without the real data (hundreds of
 * MB).
 */
final class FixtureDataset {

  private FixtureDataset() {}

  /**
   * Writes the fixture under {@code home/data/datasets} and checks it reads the way the services
   * read it.
   */
  static void write(Path home) throws IOException {
    Path datasets = Files.createDirectories(home.resolve("data/datasets"));
    String version = "ds-e2e-fixture";
    Path dir = Files.createDirectories(datasets.resolve(version));
    Files.writeString(datasets.resolve("CURRENT"), version + "\n");
    Files.writeString(
        dir.resolve(DatasetVersion.MANIFEST),
        "{\"version\": \"" + version + "\", \"files\": {}}\n");
    List<DomainRecord> records =
        List.of(
            new DomainRecord(
                "pokerstars.com",
                "pokerstars.com",
                List.of("gambling"),
                List.of("gambling"),
                Map.of("ut1/gambling", List.of("gambling")),
                "train",
                List.of(),
                0),
            new DomainRecord(
                "coolmathgames.com",
                "coolmathgames.com",
                List.of("games"),
                List.of("games"),
                Map.of("ut1/games", List.of("games")),
                "test",
                List.of(),
                0));
    try (OutputStream file = Files.newOutputStream(dir.resolve(DatasetVersion.DOMAINS));
        Writer out = new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8)) {
      for (DomainRecord record : records) {
        out.write(DatasetVersion.mapper().writeValueAsString(record));
        out.write('\n');
      }
    }
    assertThat(DatasetVersion.current(datasets).domains()).hasSize(2);
  }
}
