package dev.sieve.url.table;

import dev.sieve.core.url.NormalizedUrl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The known-domain table: every labelled host of a dataset version, matched exactly or as a parent
 * domain of the requested host, up to (and including) its registrable ICANN domain.
 *
 * <p>Why a hand-laid-out open-addressing table instead of a {@code HashMap<String, ...>}: it holds
 * about a million hosts, is probed on every request (one probe per host label), and must load in
 * seconds and stay small in a service heap. Hosts live as ASCII bytes in one array, entries are
 * parallel int arrays, and each probe compares the stored bytes, so a match is exact (no
 * fingerprint false positives) and a lookup allocates nothing unless something matched.
 *
 * <p>Matching rule (the list semantics of UT1 and DNS blocklists): an entry {@code pokerstars.com}
 * covers {@code pokerstars.com} and every host below it. The walk starts at the full host and
 * climbs one label at a time, stopping at the registrable domain ({@link
 * NormalizedUrl#registrableDomain()}), so an entry that is itself a public suffix ({@code co.uk})
 * can never match. IP literals are matched exactly only.
 *
 * <p>Immutable and thread-safe after construction.
 */
public final class KnownDomainTable {

  /** A table entry that covers the requested host. */
  public record Match(String entry, LabelSet labels) {}

  private final byte[] hostBytes;
  private final int[] hostStart;
  private final int[] entryHash;
  private final int[] entryLabelSet;
  private final int[] slots;
  private final int mask;
  private final LabelSet[] labelSets;
  private final Map<String, Integer> entriesPerCategory;

  KnownDomainTable(
      byte[] hostBytes,
      int[] hostStart,
      int[] entryHash,
      int[] entryLabelSet,
      int[] slots,
      LabelSet[] labelSets,
      Map<String, Integer> entriesPerCategory) {
    this.hostBytes = hostBytes;
    this.hostStart = hostStart;
    this.entryHash = entryHash;
    this.entryLabelSet = entryLabelSet;
    this.slots = slots;
    this.mask = slots.length - 1;
    this.labelSets = labelSets;
    this.entriesPerCategory = entriesPerCategory;
  }

  public static Builder builder() {
    return new Builder();
  }

  // Package-private views for TableSnapshot (binary cache of a compiled table).
  byte[] hostBytes() {
    return hostBytes;
  }

  int[] hostStart() {
    return hostStart;
  }

  int[] entryHash() {
    return entryHash;
  }

  int[] entryLabelSet() {
    return entryLabelSet;
  }

  int[] slots() {
    return slots;
  }

  LabelSet[] labelSets() {
    return labelSets;
  }

  /** Number of hosts in the table. */
  public int size() {
    return entryHash.length;
  }

  /** Number of distinct label sets the entries share. */
  public int distinctLabelSets() {
    return labelSets.length;
  }

  /** Entries per taxonomy category (for logs and the card). */
  public Map<String, Integer> entriesPerCategory() {
    return entriesPerCategory;
  }

  /** Approximate heap footprint of the table's arrays, in bytes. */
  public long approximateBytes() {
    return hostBytes.length
        + 4L * (hostStart.length + entryHash.length + entryLabelSet.length + slots.length);
  }

  /**
   * Every entry covering the URL's host, most specific first (the exact host, then its parents up
   * to the registrable domain). Empty when nothing matches.
   */
  public List<Match> lookup(NormalizedUrl url) {
    String host = url.host();
    if (url.ipLiteral()) {
      int e = find(host, 0);
      return e < 0 ? List.of() : List.of(new Match(host, labelSets[entryLabelSet[e]]));
    }
    String registrable = url.registrableDomain();
    int stop =
        registrable != null && !registrable.isEmpty() && host.endsWith(registrable)
            ? host.length() - registrable.length()
            : 0;
    List<Match> matches = null;
    int from = 0;
    while (from <= stop) {
      int e = find(host, from);
      if (e >= 0) {
        if (matches == null) {
          matches = new ArrayList<>(2);
        }
        matches.add(new Match(host.substring(from), labelSets[entryLabelSet[e]]));
      }
      int dot = host.indexOf('.', from);
      if (dot < 0) {
        break;
      }
      from = dot + 1;
    }
    return matches == null ? List.of() : matches;
  }

  /** True when {@code host} (already normalized) is itself an entry; no parent walk. */
  public boolean containsExact(String host) {
    return find(host, 0) >= 0;
  }

  private int find(String host, int from) {
    int h = hash(host, from);
    int slot = h & mask;
    while (true) {
      int e = slots[slot];
      if (e == 0) {
        return -1;
      }
      e--;
      if (entryHash[e] == h && equalsAt(e, host, from)) {
        return e;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean equalsAt(int entry, String host, int from) {
    int start = hostStart[entry];
    int end = hostStart[entry + 1];
    if (end - start != host.length() - from) {
      return false;
    }
    for (int i = start, j = from; i < end; i++, j++) {
      if (hostBytes[i] != (byte) host.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** FNV-1a over the chars from {@code from}, finished with murmur3's fmix32 for spread. */
  static int hash(CharSequence s, int from) {
    int h = 0x811c9dc5;
    for (int i = from, n = s.length(); i < n; i++) {
      h ^= s.charAt(i);
      h *= 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /**
   * Collects hosts and their labels, merging duplicates, then lays the table out. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, LabelSet> byHost = new LinkedHashMap<>(1 << 16);
    private final Map<LabelSet, LabelSet> interned = new HashMap<>();
    private int rejected;

    private Builder() {}

    /**
     * Adds a host with its label set. Hosts must already be normalized (lower-case ASCII, no
     * trailing dot) as the dataset pipeline writes them; anything else is counted as rejected, not
     * added. Empty label sets are ignored: a host without taxonomy labels never produces a verdict.
     *
     * @return true when the host was added (or merged into an existing entry)
     */
    public boolean add(String host, LabelSet labels) {
      if (labels.isEmpty()) {
        return false;
      }
      if (!isNormalizedAsciiHost(host)) {
        rejected++;
        return false;
      }
      LabelSet canonical = interned.computeIfAbsent(labels, l -> l);
      byHost.merge(
          host,
          canonical,
          (a, b) -> a.equals(b) ? a : interned.computeIfAbsent(a.union(b), l -> l));
      return true;
    }

    /** Hosts refused by {@link #add} because they were not normalized ASCII hosts. */
    public int rejected() {
      return rejected;
    }

    public KnownDomainTable build() {
      int n = byHost.size();
      List<String> hosts =
          new ArrayList<>(byHost.keySet()); // insertion order: deterministic layout
      Map<LabelSet, Integer> setIds = new LinkedHashMap<>();
      int totalBytes = 0;
      for (String host : hosts) {
        totalBytes += host.length();
        setIds.putIfAbsent(byHost.get(host), setIds.size());
      }
      byte[] bytes = new byte[totalBytes];
      int[] start = new int[n + 1];
      int[] hashes = new int[n];
      int[] setOf = new int[n];
      int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1; // load factor <= 0.5
      int[] slots = new int[capacity];
      int mask = capacity - 1;
      Map<String, Integer> perCategory = new TreeMap<>();
      int pos = 0;
      for (int e = 0; e < n; e++) {
        String host = hosts.get(e);
        start[e] = pos;
        byte[] ascii = host.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, bytes, pos, ascii.length);
        pos += ascii.length;
        LabelSet set = byHost.get(host);
        setOf[e] = setIds.get(set);
        for (String label : set.labels()) {
          perCategory.merge(label, 1, Integer::sum);
        }
        int h = hash(host, 0);
        hashes[e] = h;
        int slot = h & mask;
        while (slots[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = e + 1;
      }
      start[n] = pos;
      LabelSet[] sets = setIds.keySet().toArray(new LabelSet[0]);
      return new KnownDomainTable(
          bytes, start, hashes, setOf, slots, sets, Collections.unmodifiableMap(perCategory));
    }

    private static boolean isNormalizedAsciiHost(String host) {
      if (host == null || host.isEmpty() || host.length() > 253 || host.endsWith(".")) {
        return false;
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == ':';
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
