package dev.sieve.annotate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jsoup.Jsoup;

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
 * <p>Traffic items (kind url: reports and scored traffic, which are not dataset records) go into
 * the same file as new records of the build's format ({@code "record": "text"} with the item's
 * extracted text, or {@code "record": "url"} for a root URL, the annotator having judged the site),
 * with the full final label set as {@code categories} and the same provenance; for a root URL, a
 * category the model served as positive that the final answer drops also becomes a host {@code
 * remove} correction (a "wrong block" of a site reaches the data). An item that cannot become a
 * line (a page URL without text, a clean root URL nothing was served for, no annotator labels) is
 * counted and named in the result, the exports table and the audit log: never dropped silently.
 */
public final class OverlayExport {

  /** What an export wrote. */
  public record Result(
      String exportId,
      Path overlayFile,
      String sha256,
      int corrections,
      int trafficRecords,
      List<Skipped> skipped,
      int items) {}

  /**
   * A final traffic item that could not become a record the build applies, named with the reason
   * (never dropped silently: the export summary, the exports table and the audit log list it).
   */
  public record Skipped(String item, String url, String why) {}

  /**
   * A traffic item's overlay lines ({@code records} of them new records, the rest host
   * corrections), or none with the reason ({@code why}) it cannot be written.
   */
  private record TrafficRecord(List<String> lines, int records, String why) {
    static TrafficRecord skip(String why) {
      return new TrafficRecord(List.of(), 0, why);
    }
  }

  /**
   * A category the model served as positive (score at or above this) that the final answer of a
   * root URL item does not hold becomes a host {@code remove}: a "wrong block" of a site reaches
   * the data as a correction of the label that caused it.
   */
  static final double SERVED_POSITIVE = 0.5;

  /**
   * Turns a final traffic item into a {@code record} line of the build's overlay format
   * (docs/annotation.md, "Label overlays from annotation"): a text record when the item has
   * extracted text (a page's words are what the content tier learns from, and a page's label is not
   * its site's); otherwise a URL record of its host when the label is about the host (a root URL:
   * the annotator saw the site's front page, so {@code "applies_to": "host"} says so explicitly). A
   * page URL without text, or a clean root URL (the build does not add clean hosts to the domain
   * lists), cannot become a record and is reported as skipped.
   */
  private static TrafficRecord trafficRecord(
      Item item,
      List<Labelling.Label> labels,
      Set<String> fin,
      boolean adjudicated,
      String reviewer,
      String exportId) {
    if (labels.isEmpty()) {
      return TrafficRecord.skip("no_annotator_labels");
    }
    String url = item.url() == null ? item.key() : item.url();
    long sure = labels.stream().filter(l -> !l.unsure()).count();
    long matching =
        labels.stream()
            .filter(l -> !l.unsure() && new TreeSet<>(l.categories()).equals(fin))
            .count();
    double agreement = sure == 0 ? 0.0 : (double) matching / sure;
    String reason =
        "annotation " + (adjudicated ? "adjudicated" : "agreed") + " (" + item.queue() + " queue)";
    String text = item.text();
    if ((text == null || text.isBlank()) && item.html() != null) {
      text = Jsoup.parse(item.html()).text(); // the page's words, as the student saw them
    }
    if (text != null && !text.isBlank()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("record", "text");
      o.put("text", text);
      o.put("url", url);
      o.putPOJO("categories", new ArrayList<>(fin));
      provenance(o, item, labels.size(), agreement, adjudicated, reviewer, reason, exportId);
      return new TrafficRecord(List.of(Json.write(o)), 1, null);
    }
    NormalizedUrl n;
    try {
      n = UrlNormalizer.instance().normalize(url);
    } catch (UrlRejectedException e) {
      return TrafficRecord.skip("url_rejected:" + e.reason());
    }
    boolean root = (n.path().isEmpty() || n.path().equals("/")) && n.query().isEmpty();
    if (!root) {
      return TrafficRecord.skip("page_url_without_text");
    }
    List<String> lines = new ArrayList<>();
    int records = 0;
    if (!fin.isEmpty()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("record", "url");
      o.put("url", url);
      o.put("applies_to", "host");
      o.putPOJO("categories", new ArrayList<>(fin));
      provenance(o, item, labels.size(), agreement, adjudicated, reviewer, reason, exportId);
      lines.add(Json.write(o));
      records++;
    }
    for (String category : new TreeSet<>(item.scores().keySet())) {
      Double score = item.scores().get(category);
      if (score == null || score < SERVED_POSITIVE || fin.contains(category)) {
        continue;
      }
      long agreeing =
          labels.stream().filter(l -> !l.unsure() && !l.categories().contains(category)).count();
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("host", n.host());
      o.put("category", category);
      o.put("action", "remove");
      o.put("url", url);
      provenance(
          o,
          item,
          labels.size(),
          sure == 0 ? 0.0 : (double) agreeing / sure,
          adjudicated,
          reviewer,
          reason
              + ": served "
              + String.format(Locale.ROOT, "%.2f", score)
              + ", the annotators say it does not apply to the site",
          exportId);
      lines.add(Json.write(o));
    }
    if (lines.isEmpty()) {
      return TrafficRecord.skip("clean_host_without_text");
    }
    return new TrafficRecord(List.copyOf(lines), records, null);
  }

  /**
   * The provenance every traffic line carries (the build requires source, annotators, agreement).
   */
  private static void provenance(
      ObjectNode o,
      Item item,
      int annotators,
      double agreement,
      boolean adjudicated,
      String reviewer,
      String reason,
      String exportId) {
    o.put("source", "annotation");
    o.put("item", item.id());
    o.put("annotators", annotators);
    o.put("agreement", agreement);
    o.put("adjudicated", adjudicated);
    o.put("reviewer", reviewer);
    o.put("reason", reason);
    if (item.tenantId() != null) {
      o.put("tenant", item.tenantId());
    }
    o.put("queue", item.queue());
    if (item.inclusionProbability() != null) {
      o.put("inclusion_probability", item.inclusionProbability());
    }
    o.put("export", exportId);
  }

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
    String exportId = String.format(Locale.ROOT, "annotate-%04d", seq);
    List<String> dataset = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    int trafficRecords = 0;
    List<String> exportedIds = new ArrayList<>();
    for (Item item : items) {
      List<Labelling.Label> labels = new Labelling(db, clock).labels(item.id());
      Set<String> fin = Item.labelSet(item.finalLabels());
      boolean adjudicated = "adjudication".equals(item.finalSource());
      String reviewer =
          labels.stream().map(Labelling.Label::username).reduce((a, b) -> a + "," + b).orElse("")
              + (adjudicated ? " (adjudicated by " + adjudicator(item.id()) + ")" : "");
      if (item.kind().equals("url")) {
        TrafficRecord r = trafficRecord(item, labels, fin, adjudicated, reviewer, exportId);
        if (r.why() != null) {
          skipped.add(
              new Skipped(item.id(), item.url() == null ? item.key() : item.url(), r.why()));
        } else {
          dataset.addAll(r.lines());
          trafficRecords += r.records();
        }
        exportedIds.add(item.id());
        continue;
      }
      Set<String> given = Item.labelSet(item.givenLabels());
      Set<String> scope =
          item.focusCategory() != null
              ? Set.of(item.focusCategory())
              : new TreeSet<>(Taxonomy.v1().ids());
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
    String sha = overlay == null ? "" : Sha256.ofFile(overlay);
    int records = trafficRecords;
    int corrections = dataset.size() - trafficRecords; // with traffic hosts' removals
    String skippedText =
        String.join(
            "; ", skipped.stream().map(k -> k.item() + " " + k.url() + ": " + k.why()).toList());
    String id = UUID.randomUUID().toString();
    db.tx(
        c -> {
          for (String itemId : exportedIds) {
            Database.update(c, "UPDATE items SET exported_in = ? WHERE id = ?", exportId, itemId);
          }
          Database.update(
              c,
              "INSERT INTO exports(id, file_name, sha256, traffic_file_name, corrections, traffic_records, skipped, skipped_items, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
              id,
              overlay == null ? "" : overlay.getFileName().toString(),
              sha,
              null,
              corrections,
              records,
              skipped.size(),
              skippedText,
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
                  + corrections
                  + " corrections, "
                  + records
                  + " traffic records, "
                  + skipped.size()
                  + " items not exportable"
                  + (skipped.isEmpty() ? "" : " (" + skippedText + ")"));
          return null;
        });
    return new Result(
        exportId, overlay, sha, corrections, records, List.copyOf(skipped), exportedIds.size());
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
      return UrlNormalizer.instance().normalize(canonical).host();
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

  /**
   * Past exports, newest first: file, sha256, corrections, traffic records, created at, by, skipped
   * count, skipped items.
   */
  public List<String[]> list() {
    return db.query(
        "SELECT file_name, sha256, corrections, traffic_records, created_at, created_by, skipped, skipped_items FROM exports ORDER BY created_at DESC",
        rs ->
            new String[] {
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              Long.toString(rs.getLong(5)),
              rs.getString(6),
              Integer.toString(rs.getInt(7)),
              rs.getString(8)
            });
  }
}
