package dev.sieve.annotate;

import dev.sieve.annotate.Accounts.Account;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.proto.v1.OverrideSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Tenant-scoped host overrides ("allow this host for this class for 2 hours"): created and revoked
 * by admins (any tenant) and teachers (their own tenant only), always with an expiry, audited.
 *
 * <p>The active set (not revoked, not expired) is pushed to every watcher (the router's {@code
 * WatchOverrides} stream) with a revision that increases on every change: creation, revocation, and
 * expiry, which a one-second sweeper turns into a change of its own so watchers drop an expired
 * override even if they do not check clocks themselves.
 */
public final class Overrides implements AutoCloseable {

  /** An override as stored. */
  public record Entry(
      String id,
      String tenantId,
      String host,
      String effect,
      long createdAt,
      long expiresAt,
      String createdBy,
      String reason,
      Long revokedAt,
      String revokedBy) {

    boolean activeAt(long now) {
      return revokedAt == null && expiresAt > now;
    }
  }

  static final Duration MAX_DURATION = Duration.ofDays(365);

  private final Database db;
  private final Clock clock;
  private final Set<Consumer<OverrideSet>> watchers = new CopyOnWriteArraySet<>();
  private final ScheduledExecutorService sweeper;
  private volatile Set<String> lastActiveIds = Set.of();

  public Overrides(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.lastActiveIds = activeIds();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "override-expiry");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Creates an override.
   *
   * @throws SecurityException a teacher naming another tenant, an annotator
   * @throws IllegalArgumentException a bad host, effect, duration or missing reason
   */
  public Entry create(
      Account actor,
      String tenantId,
      String hostOrUrl,
      String effect,
      Duration duration,
      String reason) {
    String tenant =
        actor.role() == Accounts.Role.TEACHER
            ? actor.tenantId()
            : tenantId == null ? "" : tenantId.strip();
    if (actor.role() == Accounts.Role.ANNOTATOR) {
      throw new SecurityException("annotators do not set overrides");
    }
    if (actor.role() == Accounts.Role.TEACHER
        && tenantId != null
        && !tenantId.isBlank()
        && !tenantId.strip().equals(actor.tenantId())) {
      throw new SecurityException("a teacher sets overrides for their own tenant only");
    }
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("an override needs a tenant");
    }
    String e = effect == null ? "" : effect.strip().toLowerCase(Locale.ROOT);
    if (!e.equals("allow") && !e.equals("block")) {
      throw new IllegalArgumentException("effect must be allow or block");
    }
    if (duration == null
        || duration.isNegative()
        || duration.isZero()
        || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("duration must be between 1 minute and 365 days");
    }
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("a reason (at most 500 characters) is required");
    }
    String host = normalizeHost(hostOrUrl);
    long now = clock.millis();
    Entry o =
        new Entry(
            UUID.randomUUID().toString(),
            tenant,
            host,
            e,
            now,
            now + duration.toMillis(),
            actor.username(),
            reason.strip(),
            null,
            null);
    db.tx(
        c -> {
          Database.update(
              c,
              "INSERT INTO overrides(id, tenant_id, host, effect, created_at, expires_at, created_by, reason) VALUES (?,?,?,?,?,?,?,?)",
              o.id(),
              o.tenantId(),
              o.host(),
              o.effect(),
              o.createdAt(),
              o.expiresAt(),
              o.createdBy(),
              o.reason());
          Audit.record(
              c,
              clock,
              actor.username(),
              tenant,
              "override.create",
              e + " " + host + " until " + Instant.ofEpochMilli(o.expiresAt()) + ": " + o.reason());
          return null;
        });
    publish();
    return o;
  }

  /** Revokes an override the actor may see; false when there is none (or not theirs). */
  public boolean revoke(Account actor, String id) {
    Optional<Entry> o = find(id).filter(x -> visible(x, actor));
    if (o.isEmpty() || actor.role() == Accounts.Role.ANNOTATOR) {
      return false;
    }
    boolean changed =
        db.tx(
            c -> {
              int n =
                  Database.update(
                      c,
                      "UPDATE overrides SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                      clock.millis(),
                      actor.username(),
                      id);
              if (n > 0) {
                Audit.record(
                    c,
                    clock,
                    actor.username(),
                    o.get().tenantId(),
                    "override.revoke",
                    o.get().effect() + " " + o.get().host());
              }
              return n > 0;
            });
    if (changed) {
      publish();
    }
    return changed;
  }

  static boolean visible(Entry o, Account actor) {
    return actor.isAdmin()
        || (actor.role() == Accounts.Role.TEACHER && o.tenantId().equals(actor.tenantId()));
  }

  public Optional<Entry> find(String id) {
    return db.one(
        "SELECT id, tenant_id, host, effect, created_at, expires_at, created_by, reason, revoked_at, revoked_by FROM overrides WHERE id = ?",
        Overrides::map,
        id);
  }

  /**
   * Every override the actor may see, newest first (active, revoked and expired: the audit view).
   */
  public List<Entry> list(Account actor) {
    String base =
        "SELECT id, tenant_id, host, effect, created_at, expires_at, created_by, reason, revoked_at, revoked_by FROM overrides";
    if (actor.isAdmin()) {
      return db.query(base + " ORDER BY created_at DESC", Overrides::map);
    }
    if (actor.role() == Accounts.Role.TEACHER) {
      return db.query(
          base + " WHERE tenant_id = ? ORDER BY created_at DESC", Overrides::map, actor.tenantId());
    }
    return List.of();
  }

  /** The active set now, with the current revision. */
  public OverrideSet activeSet() {
    long now = clock.millis();
    long revision =
        db.one("SELECT value FROM counters WHERE name = 'override_revision'", rs -> rs.getLong(1))
            .orElse(0L);
    OverrideSet.Builder b = OverrideSet.newBuilder().setRevision(revision);
    for (Entry o :
        db.query(
            "SELECT id, tenant_id, host, effect, created_at, expires_at, created_by, reason, revoked_at, revoked_by FROM overrides"
                + " WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at, id",
            Overrides::map,
            now)) {
      b.addOverrides(
          HostOverride.newBuilder()
              .setId(o.id())
              .setTenantId(o.tenantId())
              .setHost(o.host())
              .setEffect(
                  o.effect().equals("allow")
                      ? HostOverride.Effect.EFFECT_ALLOW
                      : HostOverride.Effect.EFFECT_BLOCK)
              .setCreatedAtMs(o.createdAt())
              .setExpiresAtMs(o.expiresAt())
              .setCreatedBy(o.createdBy())
              .setReason(o.reason()));
    }
    return b.build();
  }

  public void watch(Consumer<OverrideSet> watcher) {
    watchers.add(watcher);
    watcher.accept(activeSet());
  }

  public void unwatch(Consumer<OverrideSet> watcher) {
    watchers.remove(watcher);
  }

  /**
   * When the active set differs from the last one pushed (a create, a revoke, an expiry), bumps the
   * revision and pushes it to every watcher. One lock and one comparison for every caller, so the
   * sweeper and a create racing each other push the change once, not twice.
   */
  private synchronized void publish() {
    Set<String> now = activeIds();
    if (now.equals(lastActiveIds)) {
      return;
    }
    db.tx(c -> Database.nextCounter(c, "override_revision"));
    OverrideSet set = activeSet();
    lastActiveIds = ids(set);
    for (Consumer<OverrideSet> w : watchers) {
      try {
        w.accept(set);
      } catch (RuntimeException e) {
        watchers.remove(w);
      }
    }
  }

  /** An expiry is a change: publish when the active set lost a member since the last push. */
  void sweep() {
    try {
      publish();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Overrides.class)
          .warn("override expiry sweep failed: {}", e.getMessage());
    }
  }

  private Set<String> activeIds() {
    return Set.copyOf(
        db.query(
            "SELECT id FROM overrides WHERE revoked_at IS NULL AND expires_at > ?",
            rs -> rs.getString(1),
            clock.millis()));
  }

  private static Set<String> ids(OverrideSet set) {
    return Set.copyOf(set.getOverridesList().stream().map(HostOverride::getId).toList());
  }

  /** A host as the router matches it: lower-case, from a URL or a bare host. */
  static String normalizeHost(String hostOrUrl) {
    if (hostOrUrl == null || hostOrUrl.isBlank()) {
      throw new IllegalArgumentException("a host is required");
    }
    String s = hostOrUrl.strip();
    try {
      NormalizedUrl u =
          s.contains("://")
              ? UrlNormalizer.instance().normalize(s)
              : UrlNormalizer.instance().normalizeHost(s, "https");
      return u.host();
    } catch (UrlRejectedException | RuntimeException e) {
      throw new IllegalArgumentException("not a host or URL: " + s);
    }
  }

  private static Entry map(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(9);
    Long revokedAt = rs.wasNull() ? null : revoked;
    return new Entry(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getString(8),
        revokedAt,
        rs.getString(10));
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
