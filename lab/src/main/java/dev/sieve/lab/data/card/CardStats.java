package dev.sieve.lab.data.card;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Composition numbers of a dataset version, computed by reading the version back through core's
 * {@link DatasetVersion} (so the card also proves the files are readable the way every consumer
 * reads them). Every number in the data card comes from here or from the build report.
 */
public final class CardStats {

  static final List<String> SPLITS = List.of("train", "dev", "test");

  /** category -> split -> labelled hosts. */
  public final Map<String, Map<String, Long>> domainPositives = new TreeMap<>();

  /** source id -> category -> split -> hosts whose final labels include what the source said. */
  public final Map<String, Map<String, Map<String, Long>>> domainBySource = new TreeMap<>();

  /** source id -> category -> hosts where the source's label was withheld by a rule. */
  public final Map<String, Map<String, Long>> domainWithheldBySource = new TreeMap<>();

  /** source label (e.g. "ut1/ai") -> split -> hosts. */
  public final Map<String, Map<String, Long>> domainSourceLabels = new TreeMap<>();

  /**
   * category -> split -> distinct registered domains labelled (stratification at the split key).
   */
  public final Map<String, Map<String, Long>> domainRegisteredBySplit = new TreeMap<>();

  /** category -> the registered domains with the most labelled hosts ("domain: hosts (split)"). */
  public final Map<String, List<String>> domainLargestRegistered = new TreeMap<>();

  /** category -> distinct registered domains labelled. */
  public final Map<String, Long> domainRegisteredDomains = new TreeMap<>();

  public final Map<String, Long> domainFlags = new TreeMap<>();
  public final Map<String, Long> domainSplits = new TreeMap<>();
  public final Map<String, Map<String, Long>> domainCooccurrence = new TreeMap<>();
  public final Map<String, Long> domainLabelCardinality = new TreeMap<>();
  public long domainRecords;
  public long domainUnlabelled;

  public final Map<String, Long> backgroundSplits = new TreeMap<>();
  public final Map<String, Long> backgroundFlags = new TreeMap<>();
  public final Map<String, Long> backgroundSources = new TreeMap<>();
  public long backgroundRecords;

  /** source -> split -> texts. */
  public final Map<String, Map<String, Long>> textBySourceSplit = new TreeMap<>();

  /** category -> source -> split -> positives. */
  public final Map<String, Map<String, Map<String, Long>>> textPositives = new TreeMap<>();

  /** category -> split -> in-scope negatives. */
  public final Map<String, Map<String, Long>> textNegatives = new TreeMap<>();

  /** category -> kind -> positives (all splits). */
  public final Map<String, Map<String, Long>> textPositivesByKind = new TreeMap<>();

  public final Map<String, Map<String, Long>> textCooccurrence = new TreeMap<>();
  public final Map<String, Long> textKinds = new TreeMap<>();

  /**
   * "source:meta-key=value" -> split -> texts, for the class/level fields of Davidson and C-SSRS.
   */
  public final Map<String, Map<String, Long>> textSourceClasses = new TreeMap<>();

  public final Map<String, Long> textSourceLabels = new TreeMap<>();
  public long textRecords;

  /** Registered domains found in more than one split across all files (must be 0). */
  public long leakingRegisteredDomains;

  public final List<String> leakExamples = new ArrayList<>();

  /** Text groups found in more than one split (must be 0). */
  public long leakingTextGroups;

  public static CardStats compute(DatasetVersion version) {
    CardStats s = new CardStats();
    Map<String, String> splitByRegistered = new HashMap<>(1 << 20);
    Map<String, Map<String, Long>> registeredByCategory = new HashMap<>();
    version.forEachDomain(
        d -> {
          s.domainRecords++;
          inc(s.domainSplits, d.split());
          s.checkLeak(splitByRegistered, d.registeredDomain(), d.split());
          inc(
              s.domainLabelCardinality,
              String.valueOf(Math.min(d.labels().size(), 3)) + (d.labels().size() >= 3 ? "+" : ""));
          if (d.labels().isEmpty()) {
            s.domainUnlabelled++;
          }
          for (String c : d.labels()) {
            inc(s.domainPositives.computeIfAbsent(c, k -> new TreeMap<>()), d.split());
            registeredByCategory
                .computeIfAbsent(c, k -> new HashMap<>())
                .merge(d.registeredDomain(), 1L, Long::sum);
          }
          cooccur(s.domainCooccurrence, d.labels());
          for (Map.Entry<String, List<String>> e : d.sources().entrySet()) {
            if (e.getValue().isEmpty()) {
              inc(
                  s.domainSourceLabels.computeIfAbsent(e.getKey(), k -> new TreeMap<>()),
                  d.split());
            }
            for (String c : e.getValue()) {
              if (d.labels().contains(c)) {
                inc(
                    s.domainBySource
                        .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                        .computeIfAbsent(c, k -> new TreeMap<>()),
                    d.split());
              } else {
                inc(s.domainWithheldBySource.computeIfAbsent(e.getKey(), k -> new TreeMap<>()), c);
              }
            }
          }
          for (String f : d.flags()) {
            inc(s.domainFlags, f);
          }
        });
    registeredByCategory.forEach(
        (c, hosts) -> {
          s.domainRegisteredDomains.put(c, (long) hosts.size());
          Map<String, Long> bySplit =
              s.domainRegisteredBySplit.computeIfAbsent(c, k -> new TreeMap<>());
          for (String rd : hosts.keySet()) {
            inc(bySplit, splitByRegistered.get(rd));
          }
          s.domainLargestRegistered.put(
              c,
              hosts.entrySet().stream()
                  .sorted(
                      Map.Entry.<String, Long>comparingByValue()
                          .reversed()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .limit(3)
                  .map(
                      e ->
                          e.getKey()
                              + ": "
                              + e.getValue()
                              + " ("
                              + splitByRegistered.get(e.getKey())
                              + ")")
                  .toList());
        });
    version.forEachBackground(
        d -> {
          s.backgroundRecords++;
          inc(s.backgroundSplits, d.split());
          s.checkLeak(splitByRegistered, d.registeredDomain(), d.split());
          for (String f : d.flags()) {
            inc(s.backgroundFlags, f);
          }
          for (String src : d.sources().keySet()) {
            inc(s.backgroundSources, src);
          }
        });
    Map<String, String> splitByGroup = new HashMap<>();
    Set<String> leakingGroups = new HashSet<>();
    version.forEachText(
        t -> {
          s.textRecords++;
          inc(s.textBySourceSplit.computeIfAbsent(t.source(), k -> new TreeMap<>()), t.split());
          inc(s.textKinds, t.kind());
          String previous = splitByGroup.putIfAbsent(t.group(), t.split());
          if (previous != null && !previous.equals(t.split())) {
            leakingGroups.add(t.group());
          }
          if ("registered_domain".equals(t.meta().get("group_kind"))) {
            s.checkLeak(splitByRegistered, t.group(), t.split());
          }
          for (String c : t.labels()) {
            inc(
                s.textPositives
                    .computeIfAbsent(c, k -> new TreeMap<>())
                    .computeIfAbsent(t.source(), k -> new TreeMap<>()),
                t.split());
            inc(s.textPositivesByKind.computeIfAbsent(c, k -> new TreeMap<>()), t.kind());
          }
          for (String c : Taxonomy.v1().ids()) {
            boolean scoped = t.labelScope().contains("*") || t.labelScope().contains(c);
            if (scoped && !t.labels().contains(c)) {
              inc(s.textNegatives.computeIfAbsent(c, k -> new TreeMap<>()), t.split());
            }
          }
          cooccur(s.textCooccurrence, t.labels());
          for (String key : List.of("davidson_class", "cssrs_level")) {
            String v = t.meta().get(key);
            if (v != null) {
              inc(
                  s.textSourceClasses.computeIfAbsent(
                      t.source() + ":" + key + "=" + v, k -> new TreeMap<>()),
                  t.split());
            }
          }
          String flags = t.meta().get("flags");
          if (flags != null) {
            for (String f : flags.split(",")) {
              if (f.startsWith("source:")) {
                inc(s.textSourceLabels, f.substring(7));
              }
            }
          }
        });
    s.leakingTextGroups = leakingGroups.size();
    return s;
  }

  private void checkLeak(Map<String, String> splitByRegistered, String registered, String split) {
    String previous = splitByRegistered.putIfAbsent(registered, split);
    if (previous != null && !previous.equals(split)) {
      leakingRegisteredDomains++;
      if (leakExamples.size() < 10) {
        leakExamples.add(registered + " (" + previous + ", " + split + ")");
      }
    }
  }

  private static void cooccur(Map<String, Map<String, Long>> matrix, List<String> labels) {
    if (labels.size() < 2) {
      return;
    }
    for (String a : labels) {
      for (String b : labels) {
        if (!a.equals(b)) {
          inc(matrix.computeIfAbsent(a, k -> new TreeMap<>()), b);
        }
      }
    }
  }

  static void inc(Map<String, Long> map, String key) {
    map.merge(key, 1L, Long::sum);
  }

  static long get(Map<String, Long> map, String key) {
    return map == null ? 0 : map.getOrDefault(key, 0L);
  }

  static long total(Map<String, Long> map) {
    return map == null ? 0 : map.values().stream().mapToLong(Long::longValue).sum();
  }
}
