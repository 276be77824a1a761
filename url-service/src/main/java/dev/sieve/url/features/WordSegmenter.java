package dev.sieve.url.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Splits a run of letters into the most probable word sequence under a unigram model (Viterbi over
 * word costs {@code -ln p(word)}), e.g. {@code freecasinobonus} into free / casino / bonus.
 *
 * <p>Letters no vocabulary word covers cost more than any known word each, so the segmentation uses
 * known words wherever it can and leaves the rest as unknown chunks ({@code xxx}), which are still
 * informative features. Words are stored in a character trie laid out in one long array (open
 * addressing on {@code node * 27 + letter}, ~2 MB for 33k words), so segmenting a 20-letter label
 * takes a few hundred array probes.
 */
public final class WordSegmenter {

  /** Receives the segments of a run, in order. */
  public interface SegmentSink {
    /** A segment {@code [from, to)} of the input; {@code known} when it is a vocabulary word. */
    void segment(int from, int to, boolean known);
  }

  /**
   * Open-addressing trie edges: (key << 32) | child, 0 = empty; key = node * 27 + letter (1..26).
   */
  private final long[] edges;

  private final int mask;
  private final float[] cost;
  private final double unknownCharCost;
  private final int maxWordLength;

  public WordSegmenter(Vocabulary vocabulary) {
    Map<String, Long> counts = vocabulary.counts();
    long total = 1;
    int maxLen = 1;
    int nodesUpperBound = 1;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      total += e.getValue();
      maxLen = Math.max(maxLen, e.getKey().length());
      nodesUpperBound += e.getKey().length();
    }
    this.maxWordLength = maxLen;
    int capacity = Integer.highestOneBit(Math.max(16, nodesUpperBound * 2)) << 1;
    int[] k = new int[capacity];
    int[] c = new int[capacity];
    float[] nodeCost = new float[nodesUpperBound];
    Arrays.fill(nodeCost, Float.NaN);
    int nodes = 1;
    int m = capacity - 1;
    double maxCost = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      String word = e.getKey();
      int node = 0;
      for (int i = 0; i < word.length(); i++) {
        int key = node * 27 + (word.charAt(i) - 'a' + 1);
        int slot = mix(key) & m;
        while (k[slot] != 0 && k[slot] != key) {
          slot = (slot + 1) & m;
        }
        if (k[slot] == 0) {
          k[slot] = key;
          c[slot] = nodes++;
        }
        node = c[slot];
      }
      double wordCost = -Math.log((double) e.getValue() / total);
      nodeCost[node] = (float) wordCost;
      maxCost = Math.max(maxCost, wordCost);
    }
    // Re-lay the edges compactly (one long per edge, table at most half full): the build table was
    // sized for the worst case, and every probe on the request path is a likely cache miss.
    int edgeCount = nodes - 1;
    int compact = Integer.highestOneBit(Math.max(16, edgeCount * 2 - 1)) << 1;
    long[] e = new long[compact];
    int cm = compact - 1;
    for (int slot = 0; slot < capacity; slot++) {
      if (k[slot] != 0) {
        int p = mix(k[slot]) & cm;
        while (e[p] != 0) {
          p = (p + 1) & cm;
        }
        e[p] = ((long) k[slot] << 32) | (c[slot] & 0xffffffffL);
      }
    }
    this.edges = e;
    this.mask = cm;
    this.cost = Arrays.copyOf(nodeCost, nodes);
    this.unknownCharCost = maxCost + 1.0;
  }

  private static int mix(int key) {
    int h = key * 0x9e3779b9;
    return h ^ (h >>> 16);
  }

  private int child(int node, char letter) {
    int key = node * 27 + (letter - 'a' + 1);
    int slot = mix(key) & mask;
    while (true) {
      long edge = edges[slot];
      if (edge == 0) {
        return -1;
      }
      if ((int) (edge >>> 32) == key) {
        return (int) edge;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** True when {@code word} is in the vocabulary. */
  public boolean contains(String word) {
    int node = 0;
    for (int i = 0; i < word.length(); i++) {
      char ch = word.charAt(i);
      if (ch < 'a' || ch > 'z') {
        return false;
      }
      node = child(node, ch);
      if (node < 0) {
        return false;
      }
    }
    return !Float.isNaN(cost[node]);
  }

  /**
   * Segments {@code s[from, to)}, which must be lower-case letters a-z, at most 64 of them.
   * Adjacent unknown letters are reported as one unknown segment.
   */
  public void segment(CharSequence s, int from, int to, FeatureBuffer scratch, SegmentSink sink) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    if (n > 64) {
      sink.segment(from, to, false);
      return;
    }
    double[] best = scratch.segBest;
    int[] back = scratch.segBack;
    boolean[] known = scratch.segKnown;
    best[0] = 0;
    for (int i = 1; i <= n; i++) {
      best[i] = Double.POSITIVE_INFINITY;
    }
    for (int i = 0; i < n; i++) {
      double base = best[i];
      if (base == Double.POSITIVE_INFINITY) {
        continue;
      }
      double unknown = base + unknownCharCost;
      if (unknown < best[i + 1]) {
        best[i + 1] = unknown;
        back[i + 1] = i;
        known[i + 1] = false;
      }
      int node = 0;
      for (int j = i; j < n && j - i < maxWordLength; j++) {
        node = child(node, s.charAt(from + j));
        if (node < 0) {
          break;
        }
        float c = cost[node];
        if (!Float.isNaN(c) && base + c < best[j + 1]) {
          best[j + 1] = base + c;
          back[j + 1] = i;
          known[j + 1] = true;
        }
      }
    }
    emit(from, n, back, known, sink);
  }

  private static void emit(int from, int n, int[] back, boolean[] known, SegmentSink sink) {
    // Walk back from the end collecting segment boundaries, then report them in order, merging
    // adjacent unknown single letters.
    int count = 0;
    int[] starts = new int[n];
    boolean[] kinds = new boolean[n];
    for (int end = n; end > 0; end = back[end]) {
      starts[count] = back[end];
      kinds[count] = known[end];
      count++;
    }
    int pendingUnknown = -1;
    int end = 0;
    for (int k = count - 1; k >= 0; k--) {
      int start = starts[k];
      end = k == 0 ? n : starts[k - 1];
      if (kinds[k]) {
        if (pendingUnknown >= 0) {
          sink.segment(from + pendingUnknown, from + start, false);
          pendingUnknown = -1;
        }
        sink.segment(from + start, from + end, true);
      } else if (pendingUnknown < 0) {
        pendingUnknown = start;
      }
    }
    if (pendingUnknown >= 0) {
      sink.segment(from + pendingUnknown, from + n, false);
    }
  }

  /** Convenience for tests and tools: the segments of a word as strings. */
  public List<String> segment(String s) {
    List<String> out = new ArrayList<>();
    FeatureBuffer scratch = new FeatureBuffer(FeatureConfig.defaults().withHashBits(8));
    segment(s, 0, s.length(), scratch, (a, b, k) -> out.add(s.substring(a, b)));
    return out;
  }
}
