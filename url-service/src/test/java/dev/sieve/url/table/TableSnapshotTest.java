package dev.sieve.url.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.url.FixtureDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSnapshotTest {

  @TempDir Path home;

  private static List<String> describe(KnownDomainTable table) throws Exception {
    List<String> out = new ArrayList<>();
    for (String url :
        List.of(
            "http://www.pokerstars.com/",
            "http://games.example.net/",
            "http://overlap.com/",
            "http://bücher.com/",
            "http://203.0.113.7/",
            "http://school.co.uk/",
            "http://nothing.example/")) {
      for (KnownDomainTable.Match m : table.lookup(UrlNormalizer.instance().normalize(url))) {
        out.add(url + " -> " + m.entry() + " " + m.labels());
      }
    }
    return out;
  }

  @Test
  void snapshotReloadsTheSameTableAndIsRebuiltWhenStaleOrCorrupt() throws Exception {
    DatasetVersion dataset = DatasetVersion.open(FixtureDatasets.install("table", home));
    Path dir = home.resolve("snapshots");
    KnownDomainTableLoader loader = KnownDomainTableLoader.forServing(Set.of(), dir);

    KnownDomainTableLoader.LoadedTable fresh = loader.load(dataset);
    assertThat(fresh.fromSnapshot()).isFalse();
    KnownDomainTableLoader.LoadedTable cached = loader.load(dataset);
    assertThat(cached.fromSnapshot()).isTrue();
    assertThat(describe(cached.table())).isEqualTo(describe(fresh.table())).isNotEmpty();
    assertThat(cached.table().size()).isEqualTo(fresh.table().size());
    assertThat(cached.table().entriesPerCategory()).isEqualTo(fresh.table().entriesPerCategory());
    assertThat(cached.recordsRead()).isEqualTo(fresh.recordsRead());
    assertThat(cached.sourceSha256()).isEqualTo(fresh.sourceSha256());

    // Other loader settings: another key, so the snapshot is not used.
    KnownDomainTableLoader.LoadedTable filtered =
        KnownDomainTableLoader.forServing(Set.of("giant_benign_host"), dir).load(dataset);
    assertThat(filtered.fromSnapshot()).isFalse();
    assertThat(filtered.table().size()).isEqualTo(fresh.table().size() - 1);

    // A corrupt snapshot is ignored and rewritten.
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".bin")).toList();
      assertThat(all).hasSize(2); // one snapshot per loader configuration
      file =
          all.stream()
              .filter(
                  p -> {
                    try {
                      return TableSnapshot.read(
                              p, "url-table-1|" + dataset.id() + "|" + fresh.sourceSha256() + "|[]")
                          .isPresent();
                    } catch (IOException e) {
                      return false;
                    }
                  })
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    KnownDomainTableLoader.LoadedTable rebuilt =
        KnownDomainTableLoader.forServing(Set.of(), dir).load(dataset);
    assertThat(rebuilt.fromSnapshot()).isFalse();
    assertThat(describe(rebuilt.table())).isEqualTo(describe(fresh.table()));
    assertThat(KnownDomainTableLoader.forServing(Set.of(), dir).load(dataset).fromSnapshot())
        .isTrue();
  }
}
