package dev.sieve.url.features;

/**
 * MurmurHash3 x86 32-bit over UTF-16 chars, bit-identical to Guava's {@code
 * Hashing.murmur3_32_fixed(seed).hashUnencodedChars(s)} (a test holds the two together).
 *
 * <p>Re-implemented over a {@code char[]} range because the featurizer hashes some sixty short
 * feature strings per URL on the request path: Guava's API needs a {@code CharSequence} per feature
 * (one String allocation each), this needs none.
 */
public final class Murmur3 {

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Murmur3() {}

  /** Hash of {@code chars[from, from + length)}. */
  public static int hashChars(char[] chars, int from, int length, int seed) {
    int h1 = seed;
    int end = from + length;
    int i = from + 1;
    for (; i < end; i += 2) {
      int k1 = chars[i - 1] | (chars[i] << 16);
      h1 = mixH1(h1, mixK1(k1));
    }
    if ((length & 1) == 1) {
      int k1 = chars[end - 1];
      h1 ^= mixK1(k1);
    }
    return fmix(h1, 2 * length);
  }

  private static int mixK1(int k1) {
    k1 *= C1;
    k1 = Integer.rotateLeft(k1, 15);
    k1 *= C2;
    return k1;
  }

  private static int mixH1(int h1, int k1) {
    h1 ^= k1;
    h1 = Integer.rotateLeft(h1, 13);
    return h1 * 5 + 0xe6546b64;
  }

  private static int fmix(int h1, int length) {
    h1 ^= length;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }
}
