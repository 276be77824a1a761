package dev.sieve.router.cache;

import com.google.protobuf.ByteString;
import dev.sieve.core.util.Sha256;
import java.security.MessageDigest;

/**
 * What makes two requests the same question: the normalized URL, the effective tenant (unknown
 * tenants share the global entry instead of flooding the cache with random ids), a SHA-256 of the
 * body when there is one, the tiers filter and the policy generation (a reload must not serve
 * verdicts decided under the old policy, even from a request that raced the reload).
 *
 * @param canonicalUrl {@code NormalizedUrl.canonical()}, "" for text-only requests
 * @param tenant effective tenant id ("" = global)
 * @param bodySha256 SHA-256 over html and text (length-prefixed), empty when there is no body
 * @param tierMask the tiers filter bit mask (0 = normal routing)
 * @param policyGeneration generation of the policy the verdict was decided under
 */
public record VerdictKey(
    String canonicalUrl,
    String tenant,
    ByteString bodySha256,
    int tierMask,
    long policyGeneration) {

  /** SHA-256 of the body, empty when both fields are empty. */
  public static ByteString bodyHash(ByteString html, ByteString text) {
    if (html.isEmpty() && text.isEmpty()) {
      return ByteString.EMPTY;
    }
    MessageDigest digest = Sha256.newDigest();
    updateLength(digest, html.size());
    digest.update(html.asReadOnlyByteBuffer());
    updateLength(digest, text.size());
    digest.update(text.asReadOnlyByteBuffer());
    return ByteString.copyFrom(digest.digest());
  }

  private static void updateLength(MessageDigest digest, int length) {
    digest.update((byte) (length >>> 24));
    digest.update((byte) (length >>> 16));
    digest.update((byte) (length >>> 8));
    digest.update((byte) length);
  }

  /** Approximate retained size in bytes, for the cache's weigher. */
  int weight() {
    return 64 + 2 * (canonicalUrl.length() + tenant.length()) + bodySha256.size();
  }
}
