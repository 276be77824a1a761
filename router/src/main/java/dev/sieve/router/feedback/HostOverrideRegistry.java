package dev.sieve.router.feedback;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.proto.v1.OverrideSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant-scoped host overrides the router applies now (issue #14): what the annotation app's
 * {@code Feedback.WatchOverrides} stream last pushed, plus an optional file for deployments without
 * the app, each held as an immutable snapshot per source.
 *
 * <p>Why expiry is checked here, against a clock, on every lookup and never by removal: an override
 * must stop applying exactly at its {@code expires_at_ms} even when the stream is down and no new
 * set arrives, and a lookup that compares with the clock cannot be late. The snapshots keep expired
 * entries until the next set replaces them; they simply never match.
 *
 * <p>Matching: the request's tenant id must equal the override's (never across tenants: there is no
 * wildcard tenant), and the request's normalized host must equal the override's host or be one of
 * its subdomains; IP literals match only themselves. The most specific host wins; for one host, the
 * most recently created override wins (the latest human decision). Override hosts are normalized
 * with core's {@link UrlNormalizer} (the same form as request hosts); an entry without tenant,
 * effect or expiry, or whose host is unusable or a bare public suffix, is dropped and logged.
 */
public final class HostOverrideRegistry {

  private static final Logger log = LoggerFactory.getLogger(HostOverrideRegistry.class);

  /** Where an override set came from; each source's set replaces only that source's entries. */
  public enum Source {
    STREAM,
    FILE
  }

  /** Overrides of one tenant keyed by normalized host, each list newest first. */
  private record Snapshot(
      long revision,
      Map<String, Map<String, List<HostOverride>>> byTenant,
      List<HostOverride> all) {
    static final Snapshot EMPTY = new Snapshot(Long.MIN_VALUE, Map.of(), List.of());
  }

  private final Clock clock;
  private final Map<Source, Snapshot> sources = new ConcurrentHashMap<>();

  public HostOverrideRegistry(Clock clock) {
    this.clock = clock;
    for (Source source : Source.values()) {
      sources.put(source, Snapshot.EMPTY);
    }
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Replaces {@code source}'s overrides with {@code set}.
   *
   * @param ignoreStale true to ignore a set whose revision is lower than the one held (within one
   *     stream); false for the first set of a new stream or a file, which is the current truth
   * @return false when the set was ignored as stale
   */
  public boolean replace(Source source, OverrideSet set, boolean ignoreStale) {
    Snapshot held = sources.get(source);
    if (ignoreStale && set.getRevision() < held.revision()) {
      log.info(
          "override set revision {} from {} ignored: revision {} is held",
          set.getRevision(),
          source,
          held.revision());
      return false;
    }
    Map<String, Map<String, List<HostOverride>>> byTenant = new HashMap<>();
    List<HostOverride> all = new ArrayList<>();
    for (HostOverride raw : set.getOverridesList()) {
      HostOverride o = normalized(raw);
      if (o == null) {
        continue;
      }
      all.add(o);
      byTenant
          .computeIfAbsent(o.getTenantId(), t -> new HashMap<>())
          .computeIfAbsent(o.getHost(), h -> new ArrayList<>())
          .add(o);
    }
    for (Map<String, List<HostOverride>> hosts : byTenant.values()) {
      for (List<HostOverride> list : hosts.values()) {
        list.sort((a, b) -> Long.compare(b.getCreatedAtMs(), a.getCreatedAtMs()));
      }
    }
    sources.put(source, new Snapshot(set.getRevision(), byTenant, List.copyOf(all)));
    return true;
  }

  /** Drops every override of {@code source}. */
  public void clear(Source source) {
    sources.put(source, Snapshot.EMPTY);
  }

  /**
   * True when some source holds an override for {@code tenantId} (expired or not): a cheap
   * pre-check.
   */
  public boolean mayApply(String tenantId) {
    for (Snapshot snapshot : sources.values()) {
      if (snapshot.byTenant().containsKey(tenantId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The override that applies now to a request of {@code tenantId} for {@code url}, or null.
   *
   * @param url the request's normalized URL; null (text-only request) never matches
   */
  public HostOverride find(String tenantId, NormalizedUrl url) {
    return find(tenantId, url, clock.millis());
  }

  /** As {@link #find(String, NormalizedUrl)} at {@code now} (epoch ms). */
  public HostOverride find(String tenantId, NormalizedUrl url, long now) {
    if (url == null || tenantId.isEmpty()) {
      return null;
    }
    HostOverride best = null;
    int bestLength = -1;
    for (Snapshot snapshot : sources.values()) {
      Map<String, List<HostOverride>> hosts = snapshot.byTenant().get(tenantId);
      if (hosts == null) {
        continue;
      }
      String candidate = url.host();
      while (candidate.length() >= bestLength) {
        HostOverride match = active(hosts.get(candidate), now);
        if (match != null) {
          if (candidate.length() > bestLength || match.getCreatedAtMs() > best.getCreatedAtMs()) {
            best = match;
            bestLength = candidate.length();
          }
          break; // every parent of this host is less specific
        }
        int dot = candidate.indexOf('.');
        if (url.ipLiteral() || dot < 0) {
          break;
        }
        candidate = candidate.substring(dot + 1);
      }
    }
    return best;
  }

  /** Overrides active now (not expired), over all sources and tenants: the gauge's value. */
  public int activeCount() {
    long now = clock.millis();
    int count = 0;
    for (Snapshot snapshot : sources.values()) {
      for (HostOverride o : snapshot.all()) {
        if (now < o.getExpiresAtMs()) {
          count++;
        }
      }
    }
    return count;
  }

  /** The revision last accepted from {@code source} (Long.MIN_VALUE: none). */
  public long revision(Source source) {
    return sources.get(source).revision();
  }

  private static HostOverride active(List<HostOverride> list, long now) {
    if (list == null) {
      return null;
    }
    for (HostOverride o : list) {
      if (now < o.getExpiresAtMs()) {
        return o;
      }
    }
    return null;
  }

  /** The override with its host in the request-host form, or null when it cannot apply. */
  static HostOverride normalized(HostOverride o) {
    String why = null;
    if (o.getTenantId().isEmpty()) {
      why = "no tenant_id (an override never applies to every tenant)";
    } else if (o.getEffect() != HostOverride.Effect.EFFECT_ALLOW
        && o.getEffect() != HostOverride.Effect.EFFECT_BLOCK) {
      why = "effect unspecified";
    } else if (o.getExpiresAtMs() <= 0) {
      why = "no expires_at_ms (overrides always expire)";
    } else if (o.getHost().isBlank()) {
      why = "no host";
    }
    if (why == null) {
      try {
        NormalizedUrl host = UrlNormalizer.instance().normalizeHost(o.getHost().strip(), "https");
        if (!host.ipLiteral() && host.publicSuffix().equals(host.host())) {
          why = "host '" + host.host() + "' is a public suffix";
        } else {
          return host.host().equals(o.getHost()) ? o : o.toBuilder().setHost(host.host()).build();
        }
      } catch (UrlRejectedException e) {
        why = "host rejected: " + e.getMessage();
      }
    }
    log.warn(
        "override '{}' of tenant '{}' for host '{}' dropped: {}",
        o.getId(),
        o.getTenantId(),
        o.getHost(),
        why);
    return null;
  }
}
