package dev.sieve.core.security;

import dev.sieve.core.util.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Tenant API keys: how they are made and the one stored form, {@code sha256:<hex>}, shared by the
 * router (which looks keys up by it) and {@code ./sieve auth new-key} (which prints it), so the two
 * cannot disagree.
 *
 * <p>A key is 256 random bits, so an unsalted SHA-256 is enough to keep the stored form useless to
 * whoever reads the configuration (there is no dictionary to try) while a lookup costs nanoseconds.
 */
public final class ApiKeys {

  /** Prefix of generated keys, so a leaked key is recognisable (secret scanners, logs). */
  public static final String PREFIX = "sieve_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new random key: {@value #PREFIX} + 43 URL-safe base64 characters (256 bits). */
  public static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of {@code key}. */
  public static String hash(String key) {
    return "sha256:" + Sha256.of(key);
  }
}
