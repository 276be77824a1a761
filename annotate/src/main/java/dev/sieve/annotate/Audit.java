package dev.sieve.annotate;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The audit trail: who did what, when, for which tenant and why (overrides, adjudications,
 * exports).
 */
public final class Audit {

  /** One entry. */
  public record Entry(long at, String actor, String tenantId, String action, String detail) {}

  private Audit() {}

  static void record(
      Connection c, Clock clock, String actor, String tenantId, String action, String detail)
      throws SQLException {
    Database.update(
        c,
        "INSERT INTO audit(id, at, actor, tenant_id, action, detail) VALUES (?,?,?,?,?,?)",
        UUID.randomUUID().toString(),
        clock.millis(),
        actor,
        tenantId,
        action,
        detail);
  }

  /** Latest entries; a teacher's view is limited to their tenant. */
  static List<Entry> latest(Database db, String tenantOrNull, int limit) {
    String sql =
        "SELECT at, actor, tenant_id, action, detail FROM audit"
            + (tenantOrNull == null ? "" : " WHERE tenant_id = ?")
            + " ORDER BY at DESC, id LIMIT "
            + limit;
    Database.RowMapper<Entry> m =
        rs ->
            new Entry(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
    return tenantOrNull == null ? db.query(sql, m) : db.query(sql, m, tenantOrNull);
  }
}
