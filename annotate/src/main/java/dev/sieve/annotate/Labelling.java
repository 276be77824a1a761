package dev.sieve.annotate;

import dev.sieve.annotate.Accounts.Account;
import dev.sieve.core.taxonomy.Taxonomy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Labels, agreement-based finalization and adjudication.
 *
 * <p>Each queued item is shown to {@code overlap} different annotators. When the last of them has
 * answered, the item is final if every answer names the same categories and nobody was unsure;
 * otherwise it waits for an admin's adjudication. Tenant isolation: a teacher sees only items of
 * their own tenant (and labels nothing); annotators and admins are staff and see every item.
 */
public final class Labelling {

  /** One annotator's answer. */
  public record Label(
      String itemId,
      String accountId,
      String username,
      Set<String> categories,
      boolean unsure,
      String note) {}

  private final Database db;
  private final Clock clock;

  public Labelling(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The item, if {@code viewer} may see it. */
  public Optional<Item> item(String id, Account viewer) {
    Optional<Item> item =
        db.one("SELECT " + Item.COLUMNS + " FROM items WHERE id = ?", Item::map, id);
    return item.filter(i -> visible(i, viewer));
  }

  static boolean visible(Item item, Account viewer) {
    if (viewer.role() == Accounts.Role.TEACHER) {
      return viewer.tenantId() != null && viewer.tenantId().equals(item.tenantId());
    }
    return true;
  }

  /** The next item this annotator should label, gold and older items first. */
  public Optional<Item> next(Account annotator) {
    if (!annotator.canLabel()) {
      return Optional.empty();
    }
    return db.one(
        "SELECT "
            + Item.COLUMNS
            + " FROM items i WHERE state = 'queued' AND final_labels IS NULL"
            + " AND (SELECT COUNT(*) FROM labels l WHERE l.item_id = i.id) < overlap"
            + " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.account_id = ?)"
            + " ORDER BY CASE WHEN gold_labels IS NULL THEN 1 ELSE 0 END, created_at, id LIMIT 1",
        Item::map,
        annotator.id());
  }

  public long remaining(Account annotator) {
    return db.one(
            "SELECT COUNT(*) FROM items i WHERE state = 'queued' AND final_labels IS NULL"
                + " AND (SELECT COUNT(*) FROM labels l WHERE l.item_id = i.id) < overlap"
                + " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.account_id = ?)",
            rs -> rs.getLong(1),
            annotator.id())
        .orElse(0L);
  }

  /**
   * Stores (or replaces, while the item is open) this annotator's answer.
   *
   * @throws IllegalArgumentException unknown category, note too long, item not open
   */
  public void submit(
      Account annotator, String itemId, Set<String> categories, boolean unsure, String note) {
    if (!annotator.canLabel()) {
      throw new SecurityException("only annotators and admins label");
    }
    for (String c : categories) {
      if (!Taxonomy.v1().contains(c)) {
        throw new IllegalArgumentException("unknown category: " + c);
      }
    }
    String cleanNote = note == null ? "" : note.strip();
    if (cleanNote.length() > 2000) {
      throw new IllegalArgumentException("note: at most 2000 characters");
    }
    db.tx(
        c -> {
          List<Integer> open =
              Database.query(
                  c,
                  "SELECT overlap FROM items WHERE id = ? AND state = 'queued' AND final_labels IS NULL",
                  rs -> rs.getInt(1),
                  itemId);
          if (open.isEmpty()) {
            throw new IllegalArgumentException("this item is not open for labelling");
          }
          boolean mine =
              !Database.query(
                      c,
                      "SELECT 1 FROM labels WHERE item_id = ? AND account_id = ?",
                      rs -> 1,
                      itemId,
                      annotator.id())
                  .isEmpty();
          long others =
              Database.query(
                      c,
                      "SELECT COUNT(*) FROM labels WHERE item_id = ? AND account_id <> ?",
                      rs -> rs.getLong(1),
                      itemId,
                      annotator.id())
                  .get(0);
          if (!mine && others >= open.get(0)) {
            throw new IllegalArgumentException("this item already has all its annotators");
          }
          Database.update(
              c, "DELETE FROM labels WHERE item_id = ? AND account_id = ?", itemId, annotator.id());
          Database.update(
              c,
              "INSERT INTO labels(item_id, account_id, categories, unsure, note, created_at) VALUES (?,?,?,?,?,?)",
              itemId,
              annotator.id(),
              Item.labelString(categories),
              unsure,
              cleanNote,
              clock.millis());
          finalizeIfAgreed(c, itemId, open.get(0));
          return null;
        });
  }

  private void finalizeIfAgreed(Connection c, String itemId, int overlap) throws SQLException {
    List<String[]> rows =
        Database.query(
            c,
            "SELECT categories, unsure FROM labels WHERE item_id = ?",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            itemId);
    if (rows.size() < overlap) {
      return;
    }
    String first = rows.get(0)[0];
    boolean agreed = rows.stream().allMatch(r -> r[0].equals(first) && "0".equals(r[1]));
    if (agreed) {
      Database.update(
          c,
          "UPDATE items SET final_labels = ?, final_source = 'agreement' WHERE id = ?",
          first,
          itemId);
    }
  }

  public List<Label> labels(String itemId) {
    return db.query(
        "SELECT l.item_id, l.account_id, a.username, l.categories, l.unsure, l.note FROM labels l JOIN accounts a ON a.id = l.account_id"
            + " WHERE l.item_id = ? ORDER BY a.username",
        rs ->
            new Label(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Item.labelSet(rs.getString(4)),
                rs.getInt(5) == 1,
                rs.getString(6)),
        itemId);
  }

  /** Items whose annotators are all in and disagree (or someone was unsure). */
  public List<Item> needingAdjudication() {
    return db.query(
        "SELECT "
            + Item.COLUMNS
            + " FROM items i WHERE state = 'queued' AND final_labels IS NULL"
            + " AND (SELECT COUNT(*) FROM labels l WHERE l.item_id = i.id) >= overlap ORDER BY created_at, id",
        Item::map);
  }

  /** An admin's final answer for an item. */
  public void adjudicate(Account admin, String itemId, Set<String> categories, String note) {
    if (!admin.isAdmin()) {
      throw new SecurityException("only admins adjudicate");
    }
    for (String c : categories) {
      if (!Taxonomy.v1().contains(c)) {
        throw new IllegalArgumentException("unknown category: " + c);
      }
    }
    db.tx(
        c -> {
          if (Database.update(
                  c,
                  "UPDATE items SET final_labels = ?, final_source = 'adjudication' WHERE id = ? AND state = 'queued' AND exported_in IS NULL",
                  Item.labelString(categories),
                  itemId)
              == 0) {
            throw new IllegalArgumentException("no such open item");
          }
          Database.update(c, "DELETE FROM adjudications WHERE item_id = ?", itemId);
          Database.update(
              c,
              "INSERT INTO adjudications(item_id, account_id, categories, note, created_at) VALUES (?,?,?,?,?)",
              itemId,
              admin.id(),
              Item.labelString(categories),
              note == null ? "" : note.strip(),
              clock.millis());
          Audit.record(
              c,
              clock,
              admin.username(),
              null,
              "adjudicate",
              itemId + " -> [" + Item.labelString(categories) + "]");
          return null;
        });
  }

  /** Items of one tenant (teachers' view of their reports). */
  public List<Item> tenantItems(String tenantId) {
    return db.query(
        "SELECT " + Item.COLUMNS + " FROM items WHERE tenant_id = ? ORDER BY created_at DESC",
        Item::map,
        tenantId);
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }
}
