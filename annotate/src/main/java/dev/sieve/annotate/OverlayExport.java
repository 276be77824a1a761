package dev.sieve.annotate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Exports final labels (agreed or adjudicated, not exported before) as a label overlay the data
 * pipeline applies: {@code data/overlays/annotate-<seq>-<sha12>.jsonl} in lab's {@code Overlays}
 * format, one correction per line, never touching raw files. The name carries a sequence number
 * (overlays apply in name order, so a later export wins) and the first 12 hex digits of the file's
 * SHA-256 (the content it promises); an existing file is never overwritten.
 *
 * <p>Dataset records (kind host or text): a category the final answer has and the dataset does not
 * becomes {@code "action":"add"}; one the dataset has and the answer does not becomes {@code
 * "remove"}. Review-queue items change only the category they were queued for. Each line also
 * carries provenance the build ignores but a data card can count: {@code "source": "annotate"},
 * {@code "item"}, {@code "annotators"}, {@code "agreement"} (share of sure answers that match the
 * final decision on this category), {@code "adjudicated"}, {@code "export"}.
 *
 * <p>Traffic items (kind url: reports and scored traffic, which are not dataset records) cannot be
 * written as host or id corrections without changing the label of a whole domain. They go to {@code
 * data/overlays/traffic/annotate-<seq>-<sha12>.jsonl} (a sub-directory, which today's build does
 * not read), one line per item: {@code {"url","host","labels":[...],"categories_absent":[...],
 * "tenant","queue","inclusion_probability","annotators","adjudicated","reviewer","reason","source",
 * "item","export"}}: the full label set, so a pipeline that adds URL records can take them as-is.
 */
public final class OverlayExport {

  /** What an export wrote. */
  public record Result(
      String exportId,
      Path overlayFile,
      String sha256,
      int corrections,
      Path trafficFile,
      int trafficRecords,
      int items) {}

  private final Database db;
  private final Clock clock;
  private final Path overlaysDir;

  public OverlayExport(Database db, Clock clock, Path overlaysDir) {
    this.db = db;
    this.clock = clock;
    this.overlaysDir = overlaysDir;
  }

  public Result export(Accounts.Account admin) throws IOException {
    if (!admin.isAdmin()) {
      throw new SecurityException("only admins export");
    }
    List<Item> items =
        db.query(
            "SELECT "
                + Item.COLUMNS
                + " FROM items WHERE final_labels IS NOT NULL AND exported_in IS NULL ORDER BY id",
            Item::map);
    long seq = db.tx(c -> Database.nextCounter(c, "export_seq"));
    String exportId = String.format(java.util.Locale.ROOT, "annotate-%04d", seq);
    List<String> dataset = new ArrayList<>();
    List<String> traffic = new ArrayList<>();
    List<String> exportedIds = new ArrayList<>();
    for (Item item : items) {
      List<Labelling.Label> labels = new Labelling(db, clock).labels(item.id());
      Set<String> fin = Item.labelSet(item.finalLabels());
      boolean adjudicated = "adjudication".equals(item.finalSource());
      String reviewer =
          labels.stream().map(Labelling.Label::username).reduce((a, b) -> a + "," + b).orElse("")
              + (adjudicated ? " (adjudicated by " + adjudicator(item.id()) + ")" : "");
      if (item.kind().equals("url")) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("url", item.url() == null ? item.key() : item.url());
        o.put("host", hostOf(item.key()));
        o.putPOJO("labels", new ArrayList<>(fin));
        Set<String> absent = new TreeSet<>(dev.sieve.core.taxonomy.Taxonomy.v1().ids());
        absent.removeAll(fin);
        o.putPOJO("categories_absent", new ArrayList<>(absent));
        if (item.tenantId() != null) {
          o.put("tenant", item.tenantId());
        }
        o.put("queue", item.queue());
        if (item.inclusionProbability() != null) {
          o.put("inclusion_probability", item.inclusionProbability());
        }
        o.put("annotators", labels.size());
        o.put("adjudicated", adjudicated);
        o.put("reviewer", reviewer);
        o.put("reason", "annotation " + (adjudicated ? "adjudicated" : "agreed"));
        o.put("source", "annotate");
        o.put("item", item.id());
        o.put("export", exportId);
        traffic.add(Json.write(o));
        exportedIds.add(item.id());
        continue;
      }
      Set<String> given = Item.labelSet(item.givenLabels());
      Set<String> scope =
          item.focusCategory() != null
              ? Set.of(item.focusCategory())
              : new TreeSet<>(dev.sieve.core.taxonomy.Taxonomy.v1().ids());
      for (String category : new TreeSet<>(scope)) {
        boolean want = fin.contains(category);
        boolean has = given.contains(category);
        if (want == has) {
          continue;
        }
        if (!want && item.givenLabels() == null) {
          continue; // dataset labels unknown: only additions can be stated
        }
        long agreeing =
            labels.stream()
                .filter(l -> !l.unsure() && l.categories().contains(category) == want)
                .count();
        long sure = labels.stream().filter(l -> !l.unsure()).count();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put(item.kind().equals("host") ? "host" : "id", item.key());
        o.put("category", category);
        o.put("action", want ? "add" : "remove");
        o.put(
            "reason",
            "annotation "
                + (adjudicated ? "adjudicated" : "agreed")
                + " ("
                + item.queue()
                + " queue)");
        o.put("reviewer", reviewer);
        o.put("source", "annotation"); // lab Overlays: provenance required (annotators, agreement)
        o.put("item", item.id());
        o.put("annotators", labels.size());
        o.put("agreement", sure == 0 ? 0.0 : (double) agreeing / sure);
        o.put("adjudicated", adjudicated);
        o.put("export", exportId);
        if (item.datasetVersion() != null) {
          o.put("from_dataset_version", item.datasetVersion());
        }
        dataset.add(Json.write(o));
      }
      exportedIds.add(item.id());
    }
    Path overlay = dataset.isEmpty() ? null : writeVersioned(overlaysDir, exportId, dataset);
    Path trafficFile =
        traffic.isEmpty()
            ? null
            : writeVersioned(overlaysDir.resolve("traffic"), exportId, traffic);
    String sha = overlay == null ? "" : Sha256.ofFile(overlay);
    String id = UUID.randomUUID().toString();
    db.tx(
        c -> {
          for (String itemId : exportedIds) {
            Database.update(c, "UPDATE items SET exported_in = ? WHERE id = ?", exportId, itemId);
          }
          Database.update(
              c,
              "INSERT INTO exports(id, file_name, sha256, traffic_file_name, corrections, traffic_records, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)",
              id,
              overlay == null ? "" : overlay.getFileName().toString(),
              sha,
              trafficFile == null ? null : trafficFile.getFileName().toString(),
              dataset.size(),
              traffic.size(),
              clock.millis(),
              admin.username());
          Audit.record(
              c,
              clock,
              admin.username(),
              null,
              "export",
              exportId
                  + ": "
                  + dataset.size()
                  + " corrections, "
                  + traffic.size()
                  + " traffic records");
          return null;
        });
    return new Result(
        exportId, overlay, sha, dataset.size(), trafficFile, traffic.size(), exportedIds.size());
  }

  private String adjudicator(String itemId) {
    return db.one(
            "SELECT a.username FROM adjudications j JOIN accounts a ON a.id = j.account_id WHERE j.item_id = ?",
            rs -> rs.getString(1),
            itemId)
        .orElse("?");
  }

  private static String hostOf(String canonical) {
    try {
      return dev.sieve.core.url.UrlNormalizer.instance().normalize(canonical).host();
    } catch (Exception e) {
      return "";
    }
  }

  /** Writes lines to a temp file, names it by sequence and content hash, moves it in place. */
  static Path writeVersioned(Path dir, String exportId, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".export-", ".tmp");
    Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    String sha = Sha256.ofFile(tmp);
    Path target = dir.resolve(exportId + "-" + sha.substring(0, 12) + ".jsonl");
    if (Files.exists(target)) {
      Files.delete(tmp);
      throw new IOException(target + " exists; overlays are append-only history");
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** Past exports, newest first. */
  public List<String[]> list() {
    return db.query(
        "SELECT file_name, sha256, corrections, traffic_records, created_at, created_by, traffic_file_name FROM exports ORDER BY created_at DESC",
        rs ->
            new String[] {
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              Long.toString(rs.getLong(5)),
              rs.getString(6),
              rs.getString(7)
            });
  }
}
