package dev.sieve.url.table;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a dataset version's {@code domains.jsonl.gz} into a {@link KnownDomainTable}.
 *
 * <p>Separate from the table so that the table stays a pure data structure and the policy of which
 * records become authoritative entries lives in one place: only records with taxonomy labels, minus
 * records carrying an excluded noise flag (e.g. a giant benign host that a phishing list names
 * because of hosted abuse: such an entry would block google.com outright), optionally restricted to
 * some splits (offline evaluation builds a train-only table to measure what a list lookup alone
 * achieves).
 */
public final class KnownDomainTableLoader {

  private static final Logger log = LoggerFactory.getLogger(KnownDomainTableLoader.class);

  /** What was loaded, with the numbers a service logs and a card reports. */
  public record LoadedTable(
      KnownDomainTable table,
      String datasetVersion,
      String sourceSha256,
      long loadMillis,
      int recordsRead,
      int recordsWithoutLabels,
      int recordsExcludedByFlag,
      int recordsRejected,
      boolean fromSnapshot) {}

  private final Set<String> excludedFlags;
  private final Predicate<DomainRecord> recordFilter;
  private final Path snapshotDir;

  /**
   * @param excludedFlags records carrying any of these flags are not turned into entries
   * @param recordFilter further restriction (e.g. by split); {@code r -> true} for serving
   */
  public KnownDomainTableLoader(Set<String> excludedFlags, Predicate<DomainRecord> recordFilter) {
    this(excludedFlags, recordFilter, null);
  }

  private KnownDomainTableLoader(
      Set<String> excludedFlags, Predicate<DomainRecord> recordFilter, Path snapshotDir) {
    this.excludedFlags = Set.copyOf(excludedFlags);
    this.recordFilter = recordFilter;
    this.snapshotDir = snapshotDir;
  }

  /** Loader for serving: every labelled record of every split. */
  public static KnownDomainTableLoader forServing(Set<String> excludedFlags) {
    return new KnownDomainTableLoader(excludedFlags, r -> true);
  }

  /**
   * Loader for serving that keeps a binary snapshot of the compiled table in {@code snapshotDir}
   * (reused while the dataset file and the excluded flags are unchanged; a restart then loads in
   * well under a second). A missing or unwritable directory only costs the speed-up.
   */
  public static KnownDomainTableLoader forServing(Set<String> excludedFlags, Path snapshotDir) {
    return new KnownDomainTableLoader(excludedFlags, r -> true, snapshotDir);
  }

  public LoadedTable load(DatasetVersion dataset) {
    long t0 = System.nanoTime();
    Path source = dataset.dir().resolve(DatasetVersion.DOMAINS);
    String sha = Files.isRegularFile(source) ? Sha256.ofFile(source) : Sha256.of("");
    Path snapshot = null;
    String key = null;
    if (snapshotDir != null) {
      key = "url-table-1|" + dataset.id() + "|" + sha + "|" + new TreeSet<>(excludedFlags);
      snapshot =
          snapshotDir.resolve(
              "url-table-" + dataset.id() + "-" + Sha256.of(key).substring(0, 16) + ".bin");
      try {
        var cached = TableSnapshot.read(snapshot, key);
        if (cached.isPresent()) {
          KnownDomainTable table = cached.get().getKey();
          TableSnapshot.Counts c = cached.get().getValue();
          long millis = (System.nanoTime() - t0) / 1_000_000;
          log.info(
              "known-domain table from snapshot {} (dataset {}): {} hosts, loaded in {} ms",
              snapshot,
              dataset.id(),
              table.size(),
              millis);
          return new LoadedTable(
              table,
              dataset.id(),
              sha,
              millis,
              c.recordsRead(),
              c.recordsWithoutLabels(),
              c.recordsExcludedByFlag(),
              c.recordsRejected(),
              true);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("ignoring unreadable table snapshot {}: {}", snapshot, e.toString());
      }
    }
    Set<String> taxonomy = new HashSet<>(Taxonomy.v1().ids());
    KnownDomainTable.Builder builder = KnownDomainTable.builder();
    int[] counts = new int[3]; // read, without labels, excluded by flag
    // Records share a few hundred (labels, sources) combinations: build each LabelSet once.
    Map<List<Object>, LabelSet> labelSets = new HashMap<>();
    dataset.forEachDomain(
        record -> {
          counts[0]++;
          if (!recordFilter.test(record)) {
            return;
          }
          for (String flag : record.flags()) {
            if (excludedFlags.contains(flag)) {
              counts[2]++;
              return;
            }
          }
          LabelSet labels =
              labelSets.computeIfAbsent(
                  List.of(record.labels(), record.sources()),
                  k -> LabelSet.of(record.labels(), record.sources(), taxonomy));
          if (labels.isEmpty()) {
            counts[1]++;
            return;
          }
          builder.add(record.host(), labels);
        });
    KnownDomainTable table = builder.build();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    log.info(
        "known-domain table from dataset {}: {} hosts, {} label sets, ~{} MiB, loaded in {} ms "
            + "({} records read, {} without taxonomy labels, {} excluded by flag, {} rejected)",
        dataset.id(),
        table.size(),
        table.distinctLabelSets(),
        table.approximateBytes() >> 20,
        millis,
        counts[0],
        counts[1],
        counts[2],
        builder.rejected());
    if (snapshot != null) {
      try {
        TableSnapshot.write(
            snapshot,
            key,
            table,
            new TableSnapshot.Counts(counts[0], counts[1], counts[2], builder.rejected()));
        log.info("wrote table snapshot {}", snapshot);
      } catch (IOException | RuntimeException e) {
        log.warn("could not write table snapshot {}: {}", snapshot, e.toString());
      }
    }
    return new LoadedTable(
        table,
        dataset.id(),
        sha,
        millis,
        counts[0],
        counts[1],
        counts[2],
        builder.rejected(),
        false);
  }
}
