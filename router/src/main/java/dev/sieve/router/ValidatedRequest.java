package dev.sieve.router;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.proto.v1.ClassifyRequest;

/**
 * A {@link ClassifyRequest} that passed validation, with what validation learned on the way so that
 * nothing is computed twice.
 *
 * @param request the original request (bodies are passed to tiers as received, no copy)
 * @param url the normalized URL, or null for a request without a URL
 * @param canonicalUrl {@code url.canonical()}, or "" without a URL (the cache key and the
 *     response's normalized_url)
 * @param tierMask the tiers filter as a {@link dev.sieve.router.tier.TierName} bit mask, 0 = normal
 *     routing
 * @param hasBody true when html or text is present
 */
public record ValidatedRequest(
    ClassifyRequest request,
    NormalizedUrl url,
    String canonicalUrl,
    int tierMask,
    boolean hasBody) {

  public boolean hasUrl() {
    return url != null;
  }

  /** The URL safe for logs (query string redacted), or "-" without a URL. */
  public String loggableUrl() {
    return url == null ? "-" : url.redacted();
  }
}
