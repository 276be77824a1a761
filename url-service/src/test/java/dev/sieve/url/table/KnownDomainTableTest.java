package dev.sieve.url.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.url.FixtureDatasets;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownDomainTableTest {

  @TempDir static Path home;
  static LoadedTable loaded;
  static KnownDomainTable table;

  @BeforeAll
  static void load() {
    Path dir = FixtureDatasets.install("table", home);
    loaded =
        KnownDomainTableLoader.forServing(Set.of("giant_benign_host"))
            .load(DatasetVersion.open(dir));
    table = loaded.table();
  }

  private static List<KnownDomainTable.Match> lookup(String url) throws Exception {
    return table.lookup(UrlNormalizer.instance().normalize(url));
  }

  private static List<String> entries(String url) throws Exception {
    return lookup(url).stream().map(KnownDomainTable.Match::entry).toList();
  }

  @Test
  void exactHostMatches() throws Exception {
    assertThat(entries("http://pokerstars.com/")).containsExactly("pokerstars.com");
    assertThat(entries("casino.example.org")).containsExactly("casino.example.org");
  }

  @Test
  void parentDomainEntryCoversSubdomains() throws Exception {
    assertThat(entries("https://www.pokerstars.com/poker?x=1")).containsExactly("pokerstars.com");
    assertThat(entries("https://a.b.c.pokerstars.com/")).containsExactly("pokerstars.com");
    assertThat(entries("http://www.bet.co.uk/")).containsExactly("bet.co.uk");
  }

  @Test
  void childEntryDoesNotCoverItsParentOrSiblings() throws Exception {
    assertThat(entries("http://example.org/")).isEmpty();
    assertThat(entries("http://poker.example.org/")).isEmpty();
  }

  @Test
  void matchingNeverClimbsAboveTheRegistrableDomain() throws Exception {
    // "co.uk" is in the fixture as an entry; it is a public suffix and must match nothing.
    assertThat(entries("http://school.co.uk/")).isEmpty();
    assertThat(entries("http://co.uk/")).containsExactly("co.uk"); // only as an exact host
    // Lookalikes that merely end with the same characters do not match.
    assertThat(entries("http://notpokerstars.com/")).isEmpty();
  }

  @Test
  void privateSuffixHostsMatchExactlyOrBelow() throws Exception {
    assertThat(entries("http://proxy.blogspot.com/")).containsExactly("proxy.blogspot.com");
    assertThat(entries("http://www.proxy.blogspot.com/")).containsExactly("proxy.blogspot.com");
    assertThat(entries("http://other.blogspot.com/")).isEmpty();
  }

  @Test
  void overlappingListsGiveSeveralLabelsWithTheirSources() throws Exception {
    List<KnownDomainTable.Match> matches = lookup("http://www.overlap.com/");
    assertThat(matches).hasSize(1);
    LabelSet labels = matches.get(0).labels();
    assertThat(labels.labels()).containsExactly("adult", "dating");
    assertThat(labels.sourcesOf("adult")).isEqualTo("shadowwhisperer/adult");
    assertThat(labels.sourcesOf("dating")).isEqualTo("ut1/dating");
  }

  @Test
  void duplicateRowsForOneHostAreMerged() throws Exception {
    LabelSet labels = lookup("http://pokerstars.com/").get(0).labels();
    assertThat(labels.labels()).containsExactly("gambling", "games");
    assertThat(labels.sourcesOf("gambling")).isEqualTo("blocklistproject/gambling,ut1/gambling");
    assertThat(labels.sourcesOf("games")).isEqualTo("ut1/games");
  }

  @Test
  void exactAndParentEntriesBothMatchMostSpecificFirst() throws Exception {
    List<KnownDomainTable.Match> matches = lookup("http://games.example.net/play");
    assertThat(matches)
        .extracting(KnownDomainTable.Match::entry)
        .containsExactly("games.example.net", "example.net");
    assertThat(matches.get(0).labels().labels()).containsExactly("games");
    assertThat(matches.get(1).labels().labels()).containsExactly("streaming");
  }

  @Test
  void idnHostMatchesItsPunycodeEntry() throws Exception {
    assertThat(entries("http://Bücher.com/buch")).containsExactly("xn--bcher-kva.com");
    assertThat(entries("http://www.xn--bcher-kva.com/")).containsExactly("xn--bcher-kva.com");
  }

  @Test
  void hostsWithoutTaxonomyLabelsAndFlaggedHostsAreNotEntries() throws Exception {
    assertThat(entries("http://aitools.com/")).isEmpty();
    assertThat(entries("http://google.com/")).isEmpty();
    assertThat(loaded.recordsWithoutLabels()).isEqualTo(1);
    assertThat(loaded.recordsExcludedByFlag()).isEqualTo(1);
  }

  @Test
  void ipLiteralsMatchOnlyExactly() throws Exception {
    assertThat(entries("http://203.0.113.7/login")).containsExactly("203.0.113.7");
    assertThat(entries("http://3405803783/"))
        .containsExactly("203.0.113.7"); // integer form of the same IP
    assertThat(entries("http://203.0.113.8/")).isEmpty();
  }

  @Test
  void reportsSizeAndPerCategoryCounts() {
    assertThat(table.size()).isEqualTo(10);
    Map<String, Integer> perCategory = table.entriesPerCategory();
    assertThat(perCategory)
        .containsEntry("gambling", 4)
        .containsEntry("games", 2)
        .containsEntry("adult", 1);
    assertThat(loaded.datasetVersion()).isEqualTo("ds-fixture-table");
    assertThat(loaded.sourceSha256()).hasSize(64);
  }

  @Test
  void manyHostsStayExactUnderCollisions() {
    KnownDomainTable.Builder builder = KnownDomainTable.builder();
    LabelSet gambling =
        LabelSet.of(List.of("gambling"), Map.of("l", List.of("gambling")), Set.of("gambling"));
    for (int i = 0; i < 50_000; i++) {
      builder.add("host" + i + ".example.com", gambling);
    }
    KnownDomainTable big = builder.build();
    assertThat(big.size()).isEqualTo(50_000);
    for (int i = 0; i < 50_000; i += 97) {
      assertThat(big.containsExact("host" + i + ".example.com")).isTrue();
      assertThat(big.containsExact("host" + i + ".example.co")).isFalse();
    }
    assertThat(big.containsExact("example.com")).isFalse();
    assertThat(big.distinctLabelSets()).isEqualTo(1);
  }

  @Test
  void builderRejectsUnnormalizedHosts() {
    KnownDomainTable.Builder builder = KnownDomainTable.builder();
    LabelSet gambling = LabelSet.of(List.of("gambling"), Map.of(), Set.of("gambling"));
    assertThat(builder.add("Casino.com", gambling)).isFalse();
    assertThat(builder.add("casino.com.", gambling)).isFalse();
    assertThat(builder.add("kasino.ä", gambling)).isFalse();
    assertThat(builder.add("casino.com", gambling)).isTrue();
    assertThat(builder.rejected()).isEqualTo(3);
  }
}
