package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.util.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leakage (no registered domain in two splits) and determinism (same inputs, same version id). */
class SplitAndDeterminismTest {

  @Test
  void noRegisteredDomainOrTextGroupAppearsInTwoSplits(@TempDir Path out) throws Exception {
    Fixtures.build(out);
    DatasetVersion v = DatasetVersion.current(out);
    Map<String, String> splitOf = new HashMap<>();
    int[] checked = {0};
    BiConsumer<String, String> check =
        (key, split) -> {
          checked[0]++;
          String previous = splitOf.putIfAbsent(key, split);
          assertThat(previous == null || previous.equals(split))
              .as("registered domain %s in %s and %s", key, previous, split)
              .isTrue();
        };
    for (DomainRecord d : v.domains()) {
      check.accept(d.registeredDomain(), d.split());
    }
    for (DomainRecord d : v.background()) {
      check.accept(d.registeredDomain(), d.split());
    }
    Map<String, String> groupSplit = new HashMap<>();
    for (TextRecord t : v.texts()) {
      if ("registered_domain".equals(t.meta().get("group_kind"))) {
        check.accept(t.group(), t.split());
      }
      String previous = groupSplit.putIfAbsent(t.group(), t.split());
      assertThat(previous == null || previous.equals(t.split())).isTrue();
    }
    assertThat(checked[0]).isGreaterThan(25);
    // pages are evaluation only: dev or test, never train, one split per group
    assertThat(v.pages()).isNotEmpty().allSatisfy(p -> assertThat(p.split()).isIn("dev", "test"));
    for (PageRecord p : v.pages()) {
      String previous = groupSplit.putIfAbsent(p.group(), p.split());
      assertThat(previous == null || previous.equals(p.split())).isTrue();
    }
    // The fixture has several hosts under one registered domain across both files.
    assertThat(
            v.domains().stream()
                .filter(d -> d.registeredDomain().equals("casino-royal.com"))
                .count())
        .isEqualTo(3);
  }

  @Test
  void splitterIsStableAndRoughlyProportional() {
    Splitter s = new Splitter("seed-a");
    assertThat(s.split("example.com")).isEqualTo(new Splitter("seed-a").split("example.com"));
    int[] counts = new int[3];
    for (int i = 0; i < 20_000; i++) {
      counts[s.split("host" + i + ".example").ordinal()]++;
    }
    assertThat(counts[0]).isBetween(13_600, 14_400);
    assertThat(counts[1]).isBetween(2_700, 3_300);
    assertThat(counts[2]).isBetween(2_700, 3_300);
    int moved = 0;
    Splitter other = new Splitter("seed-b");
    for (int i = 0; i < 1000; i++) {
      if (other.split("host" + i + ".example") != s.split("host" + i + ".example")) {
        moved++;
      }
    }
    assertThat(moved).as("a different seed reshuffles").isGreaterThan(300);
  }

  @Test
  void sameInputsGiveTheSameBytesAndVersionId(@TempDir Path a, @TempDir Path b) throws Exception {
    DatasetBuilder.Result first = Fixtures.build(a);
    DatasetBuilder.Result second = Fixtures.build(b);
    assertThat(second.versionId()).isEqualTo(first.versionId());
    for (String name :
        new String[] {
          "domains.jsonl.gz",
          "background.jsonl.gz",
          "texts.jsonl.gz",
          "pages.jsonl.gz",
          "manifest.json"
        }) {
      assertThat(Sha256.ofFile(b.resolve(second.versionId()).resolve(name)))
          .as(name)
          .isEqualTo(Sha256.ofFile(a.resolve(first.versionId()).resolve(name)));
    }
    // gzip header: no mtime (bytes 4..7 are zero), so the hash does not depend on when it was built
    byte[] gz = Files.readAllBytes(a.resolve(first.versionId()).resolve("domains.jsonl.gz"));
    assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0);
  }

  @Test
  void anotherSeedIsAnotherVersion(@TempDir Path a, @TempDir Path b) throws Exception {
    DatasetBuilder.Result first = Fixtures.build(a);
    DatasetBuilder.Result reseeded =
        new DatasetBuilder(Fixtures.options(b, b.resolve("none"), "other-seed", 0.5), System.err)
            .build();
    assertThat(reseeded.versionId()).isNotEqualTo(first.versionId());
  }
}
