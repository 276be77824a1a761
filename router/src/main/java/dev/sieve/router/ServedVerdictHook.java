package dev.sieve.router;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;

/**
 * What happens to a verdict between the engine (and its shared verdict cache) and the caller: the
 * feedback loop applies the tenant's host overrides and remembers what was served for later reports
 * (package {@code dev.sieve.router.feedback}).
 *
 * <p>Why a hook after the cache and not a step inside the merge: a tenant's override must never be
 * stored in the verdict cache, which tenants on the same policy share and which does not know the
 * override's expiry. The cache keeps the model's verdict; the hook decides per request.
 */
@FunctionalInterface
public interface ServedVerdictHook {

  ServedVerdictHook NONE = (request, url, verdict) -> verdict;

  /**
   * The verdict to serve.
   *
   * @param request the request with its tenant bound (authenticated tenant applied)
   * @param url the request's normalized URL, or null for a text-only request
   * @param verdict the engine's verdict (from the cache or freshly merged)
   */
  ClassifyResponse served(ClassifyRequest request, NormalizedUrl url, ClassifyResponse verdict);
}
