package dev.sieve.url.train;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host records of a dataset version in columnar form for training and evaluation: one row per
 * host of {@code domains.jsonl.gz} and {@code background.jsonl.gz}, with labels and label scope as
 * bit masks over the model's categories.
 *
 * <p>Columnar because a million hosts are iterated many times (epochs x categories); the label
 * scope is kept (not flattened into "negative") because lists are positive-only: a gambling-list
 * host says nothing about adult, and trainers and evaluators must tell "negative" from "unknown".
 */
public final class DomainExamples {

  /** Scope mask meaning "labels complete for every category" (background hosts). */
  public static final int SCOPE_ALL = -1;

  private final List<String> categories;
  private final String datasetVersion;
  final String[] host;
  final String[] registeredDomain;
  final byte[] split;
  final boolean[] background;
  final int[] labels;
  final int[] scope;
  final int[] rank;
  final int[] sourceSet;
  final int[] flagSet;
  final List<List<String>> sourceSets;
  final List<List<String>> flagSets;

  private DomainExamples(List<String> categories, String datasetVersion, Builder b) {
    this.categories = List.copyOf(categories);
    this.datasetVersion = datasetVersion;
    int n = b.host.size();
    host = b.host.toArray(new String[0]);
    registeredDomain = b.registered.toArray(new String[0]);
    split = new byte[n];
    background = new boolean[n];
    for (int i = 0; i < n; i++) {
      split[i] = b.split.get(i);
      background[i] = b.background.get(i);
    }
    labels = b.labels.toArray();
    scope = b.scope.toArray();
    rank = b.rank.toArray();
    sourceSet = b.sourceSet.toArray();
    flagSet = b.flagSet.toArray();
    sourceSets = b.sourceSets;
    flagSets = b.flagSets;
  }

  /** Accumulates records column by column (no per-record objects kept). */
  private static final class Builder {
    final Map<String, Integer> bit = new HashMap<>();
    final List<String> host = new ArrayList<>();
    final List<String> registered = new ArrayList<>();
    final List<Byte> split = new ArrayList<>();
    final List<Boolean> background = new ArrayList<>();
    final IntList labels = new IntList();
    final IntList scope = new IntList();
    final IntList rank = new IntList();
    final IntList sourceSet = new IntList();
    final IntList flagSet = new IntList();
    final Map<List<String>, Integer> sourceIds = new HashMap<>();
    final Map<List<String>, Integer> flagIds = new HashMap<>();
    final List<List<String>> sourceSets = new ArrayList<>();
    final List<List<String>> flagSets = new ArrayList<>();
    final Map<String, String> groups = new HashMap<>();

    Builder(List<String> categories) {
      for (int k = 0; k < categories.size(); k++) {
        bit.put(categories.get(k), k);
      }
    }

    void add(DomainRecord r, boolean isBackground) {
      host.add(r.host());
      String group = r.registeredDomain() == null ? r.host() : r.registeredDomain();
      registered.add(groups.computeIfAbsent(group, g -> g));
      split.add((byte) Split.parse(r.split()).ordinal());
      background.add(isBackground);
      int l = mask(r.labels(), bit);
      labels.add(l);
      scope.add(r.labelScope().contains("*") ? SCOPE_ALL : mask(r.labelScope(), bit) | l);
      rank.add(r.rank());
      List<String> sources = r.sources().keySet().stream().sorted().toList();
      sourceSet.add(
          sourceIds.computeIfAbsent(
              sources,
              s -> {
                sourceSets.add(s);
                return sourceSets.size() - 1;
              }));
      List<String> flags = r.flags().stream().sorted().toList();
      flagSet.add(
          flagIds.computeIfAbsent(
              flags,
              f -> {
                flagSets.add(f);
                return flagSets.size() - 1;
              }));
    }
  }

  private static int mask(List<String> ids, Map<String, Integer> bit) {
    int m = 0;
    for (String id : ids) {
      Integer b = bit.get(id);
      if (b != null) {
        m |= 1 << b;
      }
    }
    return m;
  }

  /**
   * Reads every host record of the dataset version.
   *
   * @param categories the categories to encode (at most 31), taxonomy order
   */
  public static DomainExamples load(DatasetVersion dataset, List<String> categories) {
    if (categories.size() > 31) {
      throw new IllegalArgumentException("at most 31 categories");
    }
    Builder b = new Builder(categories);
    dataset.forEachDomain(r -> b.add(r, false));
    dataset.forEachBackground(r -> b.add(r, true));
    return new DomainExamples(categories, dataset.id(), b);
  }

  /** Builds examples from records in memory (tests). */
  public static DomainExamples of(
      List<String> categories,
      String datasetVersion,
      List<DomainRecord> domains,
      List<DomainRecord> background) {
    Builder b = new Builder(categories);
    domains.forEach(r -> b.add(r, false));
    background.forEach(r -> b.add(r, true));
    return new DomainExamples(categories, datasetVersion, b);
  }

  public int size() {
    return host.length;
  }

  public List<String> categories() {
    return categories;
  }

  public String datasetVersion() {
    return datasetVersion;
  }

  public String host(int i) {
    return host[i];
  }

  public String registeredDomain(int i) {
    return registeredDomain[i];
  }

  public Split split(int i) {
    return Split.values()[split[i]];
  }

  public boolean isBackground(int i) {
    return background[i];
  }

  public boolean isPositive(int i, int category) {
    return (labels[i] & (1 << category)) != 0;
  }

  /** Labels are complete for {@code category}: positive, or a scope-backed negative. */
  public boolean inScope(int i, int category) {
    return scope[i] == SCOPE_ALL || (scope[i] & (1 << category)) != 0;
  }

  public int labelMask(int i) {
    return labels[i];
  }

  public int rank(int i) {
    return rank[i];
  }

  public List<String> sources(int i) {
    return sourceSets.get(sourceSet[i]);
  }

  public List<String> flags(int i) {
    return flagSets.get(flagSet[i]);
  }

  /** Number of positives of {@code category} in {@code split}. */
  public int positives(int category, Split s) {
    int count = 0;
    for (int i = 0; i < size(); i++) {
      if (split[i] == s.ordinal() && isPositive(i, category)) {
        count++;
      }
    }
    return count;
  }

  /**
   * The rows of {@code split} in dataset order, keeping at most {@code maxPerGroup} hosts of any
   * one registered domain (0 = no cap). Used for dev calibration and test evaluation so that one
   * service with 20,000 CDN subdomains (e.g. a video platform's infrastructure list) cannot
   * dominate a category's numbers; deterministic (the first hosts in dataset order are kept).
   */
  public int[] rows(Split s, int maxPerGroup) {
    Map<String, Integer> seen = new HashMap<>();
    IntList out = new IntList();
    for (int i = 0; i < size(); i++) {
      if (split[i] != s.ordinal()) {
        continue;
      }
      if (maxPerGroup > 0 && seen.merge(registeredDomain[i], 1, Integer::sum) > maxPerGroup) {
        continue;
      }
      out.add(i);
    }
    return out.toArray();
  }

  /** Hosts per registered domain within each split (used to damp giant groups). */
  public int[] groupSizes() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < size(); i++) {
      counts.merge(registeredDomain[i], 1, Integer::sum);
    }
    int[] out = new int[size()];
    for (int i = 0; i < size(); i++) {
      out[i] = counts.get(registeredDomain[i]);
    }
    return out;
  }
}
