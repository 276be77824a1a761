package dev.sieve.lab.data;

import dev.sieve.core.data.Split;
import dev.sieve.core.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Deterministic split assignment by hash of a grouping key (registered domain, author, record
 * hash).
 *
 * <p>Rule: {@code b = uint64(first 8 bytes of SHA-256(seed + ":" + key)) mod 100}; {@code b < 70}
 * is train, {@code b < 85} dev, else test. One function for domains, background hosts and site
 * descriptions, so a registered domain never lands in two splits even across files. Hashing (not a
 * random draw) means a key keeps its split when other data is added.
 */
public final class Splitter {

  public static final String RULE =
      "bucket = uint64(SHA-256(seed + \":\" + key)[0..8]) mod 100; bucket < 70 -> train, < 85 -> dev, else test";
  public static final int TRAIN_PERCENT = 70;
  public static final int DEV_PERCENT = 15;

  private final String seed;

  public Splitter(String seed) {
    this.seed = seed;
  }

  public String seed() {
    return seed;
  }

  public int bucket(String key) {
    MessageDigest digest = Sha256.newDigest();
    byte[] hash = digest.digest((seed + ":" + key).getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (hash[i] & 0xff);
    }
    return (int) Long.remainderUnsigned(v, 100);
  }

  public Split split(String key) {
    int b = bucket(key);
    if (b < TRAIN_PERCENT) {
      return Split.TRAIN;
    }
    if (b < TRAIN_PERCENT + DEV_PERCENT) {
      return Split.DEV;
    }
    return Split.TEST;
  }
}
