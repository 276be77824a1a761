package dev.sieve.router.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.sieve.proto.v1.ClassifyResponse;
import java.util.concurrent.TimeUnit;

/**
 * The verdict cache: the layer that carries most of the 45k req/s, so tiers see only misses.
 *
 * <p>Caffeine, bounded by an estimate of retained bytes (responses differ tenfold in size with
 * their reasons), each entry expiring after its own TTL (the response's {@code ttl_seconds}:
 * positive, negative or degraded, from the policy). A hit reports the remaining lifetime, so a
 * downstream cache never keeps a verdict longer than the router would. The ticker is injectable so
 * tests can expire entries without sleeping.
 */
public final class VerdictCache {

  /** A cached verdict and when it expires (ticker nanos). */
  private record Entry(ClassifyResponse response, long expiresAtNanos, long ttlNanos) {}

  private final Cache<VerdictKey, Entry> cache;
  private final Ticker ticker;

  /**
   * @param maxBytes bound on the estimated retained size; 0 disables caching
   * @param ticker time source (Ticker.systemTicker() in production)
   */
  public VerdictCache(long maxBytes, Ticker ticker) {
    this.ticker = ticker;
    this.cache =
        maxBytes <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher(
                    (VerdictKey key, Entry entry) ->
                        key.weight() + 4 * entry.response().getSerializedSize())
                .expireAfter(
                    new Expiry<VerdictKey, Entry>() {
                      @Override
                      public long expireAfterCreate(VerdictKey key, Entry entry, long currentTime) {
                        return entry.ttlNanos();
                      }

                      @Override
                      public long expireAfterUpdate(
                          VerdictKey key, Entry entry, long currentTime, long currentDuration) {
                        return entry.ttlNanos();
                      }

                      @Override
                      public long expireAfterRead(
                          VerdictKey key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                      }
                    })
                .ticker(ticker)
                .build();
  }

  /** A cached verdict marked {@code cache_hit} with its remaining TTL, or null. */
  public ClassifyResponse get(VerdictKey key, String requestId, boolean defaultPolicyApplied) {
    if (cache == null) {
      return null;
    }
    Entry entry = cache.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    long remaining = entry.expiresAtNanos() - ticker.read();
    if (remaining <= 0) {
      return null;
    }
    int seconds = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(remaining + 999_999_999L));
    return entry.response().toBuilder()
        .setRequestId(requestId)
        .setCacheHit(true)
        .setTtlSeconds(Math.min(seconds, entry.response().getTtlSeconds()))
        .setDefaultPolicyApplied(defaultPolicyApplied)
        .build();
  }

  /** Caches {@code response} for its {@code ttl_seconds}; a TTL of 0 means "do not cache". */
  public void put(VerdictKey key, ClassifyResponse response) {
    if (cache == null || response.getTtlSeconds() <= 0) {
      return;
    }
    long ttl = TimeUnit.SECONDS.toNanos(response.getTtlSeconds());
    cache.put(key, new Entry(response, ticker.read() + ttl, ttl));
  }

  /** Drops every entry (after a policy reload). */
  public void invalidateAll() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  /** Approximate entry count (tests, diagnostics). */
  public long estimatedSize() {
    return cache == null ? 0 : cache.estimatedSize();
  }
}
