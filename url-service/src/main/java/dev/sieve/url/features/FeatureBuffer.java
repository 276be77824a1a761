package dev.sieve.url.features;

import java.util.Arrays;

/**
 * The hashed sparse features of one URL, with their names kept cheaply for evidence.
 *
 * <p>Each feature is a namespaced string ({@code t:casino}, {@code n:^cas}) written into one shared
 * char array and hashed in place, so featurizing a URL allocates no per-feature objects; a readable
 * name ({@link #describe(int)}) is built only for the few features a response cites as evidence.
 * Features are binary and may repeat (a repeated n-gram counts twice). One buffer per call: not
 * thread-safe.
 */
public final class FeatureBuffer {

  private final int mask;
  private final int seed;
  private int size;
  private int[] buckets = new int[96];
  private int[] nameStart = new int[96];
  private int[] nameLength = new int[96];
  private char[] chars = new char[1024];
  private int used;
  private int open = -1;

  // The previous host token of the current label (for token pairs), -1 when none.
  int previousTokenStart = -1;
  int previousTokenEnd = -1;

  // Scratch space for word segmentation (labels are at most 63 chars).
  final double[] segBest = new double[65];
  final int[] segBack = new int[65];
  final boolean[] segKnown = new boolean[65];

  public FeatureBuffer(FeatureConfig config) {
    this.mask = config.buckets() - 1;
    this.seed = config.hashSeed();
  }

  /** Empties the buffer for the next URL. */
  public void clear() {
    size = 0;
    used = 0;
    open = -1;
  }

  /** Starts a feature of the given kind; follow with {@link #append} and {@link #end()}. */
  FeatureBuffer begin(FeatureKind kind) {
    ensureChars(2);
    open = used;
    chars[used++] = kind.prefix();
    chars[used++] = ':';
    return this;
  }

  FeatureBuffer append(char c) {
    ensureChars(1);
    chars[used++] = c;
    return this;
  }

  FeatureBuffer append(CharSequence s, int from, int to) {
    ensureChars(to - from);
    for (int i = from; i < to; i++) {
      chars[used++] = s.charAt(i);
    }
    return this;
  }

  FeatureBuffer append(CharSequence s) {
    return append(s, 0, s.length());
  }

  /** Finishes the open feature: hashes its name and records its bucket. */
  void end() {
    int length = used - open;
    if (size == buckets.length) {
      int n = size * 2;
      buckets = Arrays.copyOf(buckets, n);
      nameStart = Arrays.copyOf(nameStart, n);
      nameLength = Arrays.copyOf(nameLength, n);
    }
    buckets[size] = Murmur3.hashChars(chars, open, length, seed) & mask;
    nameStart[size] = open;
    nameLength[size] = length;
    size++;
    open = -1;
  }

  /** Shorthand for a feature whose value is a whole string. */
  void add(FeatureKind kind, CharSequence value) {
    begin(kind).append(value).end();
  }

  void add(FeatureKind kind, CharSequence value, int from, int to) {
    begin(kind).append(value, from, to).end();
  }

  private void ensureChars(int more) {
    if (used + more > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + more));
    }
  }

  /** Number of features (with repeats). */
  public int size() {
    return size;
  }

  /** Hash bucket of the i-th feature. */
  public int bucket(int i) {
    return buckets[i];
  }

  /** The buckets of all features, in extraction order (a copy). */
  public int[] bucketsCopy() {
    return Arrays.copyOf(buckets, size);
  }

  /** The namespaced feature string of the i-th feature, e.g. {@code t:casino}. */
  public String name(int i) {
    return new String(chars, nameStart[i], nameLength[i]);
  }

  /** A readable description of the i-th feature, e.g. {@code host token "casino"}. */
  public String describe(int i) {
    return FeatureKind.describe(name(i));
  }
}
