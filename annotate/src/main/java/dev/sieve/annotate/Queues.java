package dev.sieve.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where items come from and how a batch is drawn.
 *
 * <p>Sources (each line of an import becomes one pool candidate; exact duplicates collapse on
 * import):
 *
 * <ul>
 *   <li>{@code classify-batch} output: {@code {"id","url","categories":{c:{"score","decision"}},
 *       "primary_category", ...}}, optionally {@code "text"}, {@code "html"}, {@code "labels"} (the
 *       dataset's), {@code "gold_labels"}, {@code "evidence"}, and per-tier scores {@code
 *       "tier_scores":{"url":{c:score},"content":{c:score}}}. A line with {@code "text_id"} is a
 *       dataset text record, with {@code "dataset_host"} a dataset domain; otherwise it is traffic
 *       (kind url). Error lines and degraded verdicts (decided without a tier they needed) are
 *       skipped: their scores are not the model's judgement.
 *   <li>the label-noise review queue ({@code ./sieve data review-queue}): one suspected label error
 *       of one category per line, priority = its confident-learning margin.
 *   <li>reports ({@code Feedback.SubmitReport}): queued at once, never drawn (rule "every report").
 * </ul>
 *
 * <p>A batch mixes queues by configurable shares of its size; see {@link Sampling} for each rule's
 * inclusion probability. Near-duplicates (same normalized host+path, or text SimHash within 3 bits
 * of an item already drawn or queued) are skipped, and a per-category budget caps how many items of
 * one predicted category a batch takes.
 */
public final class Queues {

  /** Queue names, in the order a batch draws them. */
  public static final List<String> QUEUES =
      List.of("review", "disagreement", "uncertainty", "margin", "random");

  static final Map<String, String> RULES =
      Map.of(
          "review", "label-noise review: Poisson PPS on the confident-learning margin",
          "disagreement",
              "tier disagreement: Poisson PPS on the largest per-category score spread between tiers",
          "uncertainty", "uncertainty: Poisson PPS on the largest per-category binary entropy",
          "margin", "margin: Poisson PPS on 1 - (top1 - top2) category score",
          "random",
              "stratified random by predicted primary category, proportional allocation (pi = n_h/N_h)",
          "report",
              "every report from a school is queued (pi = 1); repeats of an open report collapse into it");

  /** Counts of an import. */
  public record ImportResult(
      String importId, int added, int duplicates, int skipped, int malformed) {}

  /** A batch request. */
  public record BatchSpec(
      String name,
      int size,
      Map<String, Double> shares,
      int overlap,
      Map<String, Integer> budgets,
      long seed) {}

  /** What a batch drew per queue. */
  public record BatchResult(
      String batchId, Map<String, Integer> drawn, int nearDuplicates, int overBudget) {}

  private final Database db;
  private final Clock clock;
  private final Set<String> sensitiveCategories = Set.of("adult", "self_harm");

  public Queues(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Imports classify-batch output (JSONL) into the pool. */
  public ImportResult importBatchOutput(BufferedReader in) throws IOException {
    return importLines(in, "batch");
  }

  /** Imports a label-noise review queue file (JSONL) into the pool. */
  public ImportResult importReviewQueue(BufferedReader in) throws IOException {
    return importLines(in, "review");
  }

  private ImportResult importLines(BufferedReader in, String source) throws IOException {
    String importId = UUID.randomUUID().toString();
    List<Map<String, Object>> rows = new ArrayList<>();
    int malformed = 0;
    int skipped = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = Json.MAPPER.readTree(line);
      } catch (IOException e) {
        malformed++;
        continue;
      }
      if (n == null || !n.isObject()) {
        malformed++;
        continue;
      }
      Map<String, Object> row = source.equals("review") ? reviewRow(n) : batchRow(n);
      if (row == null) {
        malformed++;
      } else if (row.isEmpty()) {
        skipped++;
      } else {
        rows.add(row);
      }
    }
    int[] counts = db.tx(c -> insertPool(c, rows, source, importId));
    return new ImportResult(importId, counts[0], counts[1], skipped, malformed);
  }

  private int[] insertPool(
      Connection c, List<Map<String, Object>> rows, String source, String importId)
      throws SQLException {
    int added = 0;
    int dups = 0;
    long now = clock.millis();
    for (Map<String, Object> r : rows) {
      String dedup = (String) r.get("dedup_key");
      boolean exists =
          !Database.query(
                  c,
                  "SELECT id FROM items WHERE dedup_key = ? AND (focus_category IS NULL OR focus_category = ?)",
                  rs -> rs.getString(1),
                  dedup,
                  r.get("focus_category") == null ? "" : r.get("focus_category"))
              .isEmpty();
      if (exists) {
        dups++;
        continue;
      }
      Database.update(
          c,
          "INSERT INTO items(id, tenant_id, kind, item_key, url, text_content, html, source, scores_json, tier_scores_json,"
              + " evidence_json, given_labels, focus_category, dataset_version, priority, stratum, dedup_key, simhash, state,"
              + " sensitive, gold_labels, import_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
          UUID.randomUUID().toString(),
          null,
          r.get("kind"),
          r.get("key"),
          r.get("url"),
          r.get("text"),
          r.get("html"),
          source,
          r.get("scores"),
          r.get("tier_scores"),
          r.get("evidence"),
          r.get("given"),
          r.get("focus_category"),
          r.get("dataset_version"),
          r.get("priority"),
          r.get("stratum"),
          dedup,
          r.get("simhash"),
          "pool",
          r.get("sensitive"),
          r.get("gold"),
          importId,
          now);
      added++;
    }
    return new int[] {added, dups};
  }

  /** Null: malformed; empty: skipped on purpose (error or degraded line). */
  private Map<String, Object> batchRow(JsonNode n) {
    if (n.has("error")) {
      return Map.of();
    }
    if (n.path("degraded").asBoolean(false)) {
      return Map.of();
    }
    JsonNode cats = n.get("categories");
    if (cats == null || !cats.isObject()) {
      return null;
    }
    Map<String, Double> scores = new TreeMap<>();
    for (var it = cats.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!Taxonomy.v1().contains(e.getKey())) {
        continue;
      }
      JsonNode s = e.getValue().isObject() ? e.getValue().get("score") : e.getValue();
      if (s == null || !s.isNumber() || s.asDouble() < 0 || s.asDouble() > 1) {
        return null;
      }
      scores.put(e.getKey(), s.asDouble());
    }
    Map<String, Map<String, Double>> tiers = new TreeMap<>();
    JsonNode ts = n.get("tier_scores");
    if (ts != null && ts.isObject()) {
      for (var it = ts.fields(); it.hasNext(); ) {
        var e = it.next();
        Map<String, Double> m = new TreeMap<>();
        e.getValue()
            .fields()
            .forEachRemaining(
                x -> {
                  if (x.getValue().isNumber()) {
                    m.put(x.getKey(), x.getValue().asDouble());
                  }
                });
        tiers.put(e.getKey(), m);
      }
    }
    String url = n.hasNonNull("url") ? n.get("url").asText() : null;
    String text = n.hasNonNull("text") ? n.get("text").asText() : null;
    String html = n.hasNonNull("html") ? n.get("html").asText() : null;
    Map<String, Object> row = new LinkedHashMap<>();
    if (n.hasNonNull("text_id")) {
      row.put("kind", "text");
      row.put("key", n.get("text_id").asText());
      row.put("dedup_key", "text:" + n.get("text_id").asText());
    } else if (n.hasNonNull("dataset_host")) {
      row.put("kind", "host");
      row.put("key", n.get("dataset_host").asText().toLowerCase(Locale.ROOT));
      row.put("dedup_key", "host:" + row.get("key"));
    } else {
      if (url == null) {
        return null;
      }
      String normalized = normalizeUrl(url);
      if (normalized == null) {
        return null;
      }
      row.put("kind", "url");
      row.put("key", normalized);
      row.put("dedup_key", "url:" + dedupUrl(normalized));
    }
    row.put("url", url);
    row.put("text", text);
    row.put("html", html);
    row.put("scores", Json.write(scores));
    row.put("tier_scores", tiers.isEmpty() ? null : Json.write(tiers));
    List<String> evidence = new ArrayList<>();
    n.path("evidence").forEach(e -> evidence.add(e.asText()));
    n.path("reasons").forEach(e -> evidence.add(e.isTextual() ? e.asText() : e.toString()));
    row.put("evidence", Json.write(evidence));
    row.put("given", n.has("labels") ? labels(n.get("labels")) : null);
    row.put("gold", n.has("gold_labels") ? labels(n.get("gold_labels")) : null);
    row.put("focus_category", null);
    row.put("dataset_version", n.path("dataset_version").asText(null));
    row.put("priority", 0.0);
    String primary = n.path("primary_category").asText("");
    row.put("stratum", primary.isEmpty() ? "none" : primary);
    row.put("simhash", Sampling.simhash(text));
    row.put("sensitive", sensitive(scores, null, primary));
    return row;
  }

  private Map<String, Object> reviewRow(JsonNode n) {
    String category = n.path("category").asText("");
    if (!Taxonomy.v1().contains(category)) {
      return null;
    }
    boolean host = n.hasNonNull("host");
    if (host == n.hasNonNull("id")) {
      return null;
    }
    String key = host ? n.get("host").asText() : n.get("id").asText();
    JsonNode score = n.get("score");
    if (score == null || !score.isNumber()) {
      return null;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("kind", host ? "host" : "text");
    row.put("key", key);
    row.put("dedup_key", (host ? "host:" : "text:") + key);
    row.put("url", host ? "https://" + key + "/" : null);
    String context = n.path("context").asText("");
    row.put("text", host ? null : context);
    row.put("html", null);
    row.put("scores", Json.write(Map.of(category, score.asDouble())));
    row.put("tier_scores", null);
    List<String> evidence = new ArrayList<>();
    evidence.add(
        "label-noise review: dataset says "
            + (n.path("given").asInt() == 1 ? "" : "not ")
            + category
            + ", out-of-fold score "
            + String.format(Locale.ROOT, "%.3f", score.asDouble())
            + ", suggested "
            + n.path("suggested").asText());
    if (host && !context.isEmpty()) {
      evidence.add("sources: " + context);
    }
    row.put("evidence", Json.write(evidence));
    row.put("given", n.path("given").asInt() == 1 ? category : "");
    row.put("gold", null);
    row.put("focus_category", category);
    row.put("dataset_version", n.path("dataset_version").asText(null));
    row.put("priority", n.path("margin").asDouble(Math.abs(2 * score.asDouble() - 1)));
    row.put("stratum", category);
    row.put("simhash", Sampling.simhash(host ? null : context));
    row.put("sensitive", sensitiveCategories.contains(category));
    return row;
  }

  private boolean sensitive(Map<String, Double> scores, String focus, String primary) {
    if (focus != null && sensitiveCategories.contains(focus)) {
      return true;
    }
    if (sensitiveCategories.contains(primary)) {
      return true;
    }
    for (String c : sensitiveCategories) {
      if (scores.getOrDefault(c, 0.0) >= 0.3) {
        return true;
      }
    }
    return false;
  }

  private static String labels(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(
          x -> {
            if (Taxonomy.v1().contains(x.asText())) {
              out.add(x.asText());
            }
          });
    } else if (node.isTextual()) {
      for (String s : node.asText().split(",")) {
        if (Taxonomy.v1().contains(s.strip())) {
          out.add(s.strip());
        }
      }
    }
    return Item.labelString(out);
  }

  /** The canonical URL, or null when the normalizer refuses it. */
  static String normalizeUrl(String url) {
    try {
      return UrlNormalizer.instance().normalize(url).canonical();
    } catch (UrlRejectedException | RuntimeException e) {
      return null;
    }
  }

  /** host (without www.) + path, lower-cased, no scheme, query or trailing slash. */
  static String dedupUrl(String canonical) {
    try {
      NormalizedUrl u = UrlNormalizer.instance().normalize(canonical);
      String host = u.host().startsWith("www.") ? u.host().substring(4) : u.host();
      String path =
          u.path().endsWith("/") ? u.path().substring(0, u.path().length() - 1) : u.path();
      return (host + path).toLowerCase(Locale.ROOT);
    } catch (UrlRejectedException | RuntimeException e) {
      return canonical.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Queues a report as an item of its tenant, or collapses it into the open item of the same tenant
   * and normalized URL. Returns {itemId, "true" when a new item was queued}.
   */
  String[] queueReport(
      Connection c,
      String tenantId,
      String url,
      String normalizedUrl,
      String kind,
      List<String> categories,
      String servedScoresJson,
      String note,
      int overlap)
      throws SQLException {
    String dedup = "url:" + dedupUrl(normalizedUrl);
    List<String> open =
        Database.query(
            c,
            "SELECT id FROM items WHERE source = 'report' AND tenant_id = ? AND dedup_key = ? AND final_labels IS NULL",
            rs -> rs.getString(1),
            tenantId,
            dedup);
    if (!open.isEmpty()) {
      Database.update(
          c, "UPDATE items SET report_count = report_count + 1 WHERE id = ?", open.get(0));
      return new String[] {open.get(0), "false"};
    }
    String id = UUID.randomUUID().toString();
    Map<String, Double> scores = Json.scores(servedScoresJson);
    List<String> evidence = new ArrayList<>();
    evidence.add(
        "report: "
            + kind
            + (categories.isEmpty() ? "" : " (" + String.join(", ", categories) + ")"));
    if (!note.isBlank()) {
      evidence.add("reporter's note: " + note);
    }
    String primary =
        scores.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .filter(e -> e.getValue() >= 0.5)
            .map(Map.Entry::getKey)
            .orElse("none");
    Database.update(
        c,
        "INSERT INTO items(id, tenant_id, kind, item_key, url, source, scores_json, evidence_json, queue, priority, stratum,"
            + " dedup_key, simhash, state, sampling_rule, inclusion_prob, overlap, sensitive, report_count, created_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        id,
        tenantId,
        "url",
        normalizedUrl,
        url,
        "report",
        servedScoresJson,
        Json.write(evidence),
        "report",
        1.0,
        primary,
        dedup,
        0L,
        "queued",
        RULES.get("report"),
        1.0,
        overlap,
        sensitive(scores, null, primary),
        1,
        clock.millis());
    return new String[] {id, "true"};
  }

  /** Draws a batch from the pool. */
  public BatchResult drawBatch(BatchSpec spec, String createdBy) {
    if (spec.size() < 1 || spec.size() > 100_000) {
      throw new IllegalArgumentException("batch size must be 1..100000");
    }
    if (spec.overlap() < 1 || spec.overlap() > 10) {
      throw new IllegalArgumentException("overlap must be 1..10 annotators per item");
    }
    double shareSum = 0;
    for (var e : spec.shares().entrySet()) {
      if (!QUEUES.contains(e.getKey()) || e.getValue() < 0) {
        throw new IllegalArgumentException("unknown queue or negative share: " + e.getKey());
      }
      shareSum += e.getValue();
    }
    if (shareSum <= 0) {
      throw new IllegalArgumentException("shares must not all be zero");
    }
    double total = shareSum;
    return db.tx(
        c -> {
          List<Object[]> pool =
              Database.query(
                  c,
                  "SELECT id, source, scores_json, tier_scores_json, priority, stratum, simhash FROM items WHERE state = 'pool'",
                  rs ->
                      new Object[] {
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getDouble(5),
                        rs.getString(6),
                        rs.getLong(7)
                      });
          List<Long> taken =
              new ArrayList<>(
                  Database.query(
                      c,
                      "SELECT simhash FROM items WHERE state = 'queued' AND simhash <> 0",
                      rs -> rs.getLong(1)));
          Map<String, Integer> perStratum = new TreeMap<>();
          Map<String, Integer> drawn = new LinkedHashMap<>();
          Set<String> chosen = new HashSet<>();
          Random random = new Random(spec.seed());
          String batchId = UUID.randomUUID().toString();
          Database.update(
              c,
              "INSERT INTO batches(id, name, created_at, created_by, overlap, config_json, summary_json) VALUES (?,?,?,?,?,?,?)",
              batchId,
              spec.name(),
              clock.millis(),
              createdBy,
              spec.overlap(),
              Json.write(spec),
              "{}");
          int nearDup = 0;
          int overBudget = 0;
          for (String queue : QUEUES) {
            double share = spec.shares().getOrDefault(queue, 0.0);
            int n = (int) Math.round(spec.size() * share / total);
            if (n == 0) {
              continue;
            }
            List<Sampling.Candidate> candidates = new ArrayList<>();
            Map<String, Object[]> byId = new TreeMap<>();
            for (Object[] p : pool) {
              String id = (String) p[0];
              if (chosen.contains(id)) {
                continue;
              }
              String source = (String) p[1];
              Double priority =
                  switch (queue) {
                    case "review" -> source.equals("review") ? (Double) p[4] : null;
                    case "disagreement" ->
                        source.equals("batch") && p[3] != null
                            ? Sampling.disagreement(Json.tierScores((String) p[3]))
                            : null;
                    case "uncertainty" ->
                        source.equals("batch")
                            ? Sampling.uncertainty(Json.scores((String) p[2]))
                            : null;
                    case "margin" ->
                        source.equals("batch") ? Sampling.margin(Json.scores((String) p[2])) : null;
                    case "random" -> source.equals("batch") ? 0.0 : null;
                    default -> null;
                  };
              if (priority != null) {
                candidates.add(new Sampling.Candidate(id, priority, (String) p[5]));
                byId.put(id, p);
              }
            }
            List<Sampling.Drawn> picks =
                queue.equals("random")
                    ? Sampling.stratified(candidates, n, random)
                    : Sampling.pps(candidates, n, random);
            Map<String, Double> priorities = new HashMap<>();
            candidates.forEach(cand -> priorities.put(cand.id(), cand.priority()));
            List<Sampling.Drawn> ordered = new ArrayList<>(picks);
            ordered.sort(
                Comparator.comparingDouble((Sampling.Drawn d) -> -priorities.get(d.id()))
                    .thenComparing(Sampling.Drawn::id));
            int count = 0;
            for (Sampling.Drawn d : ordered) {
              Object[] p = byId.get(d.id());
              long simhash = (Long) p[6];
              String stratum = (String) p[5];
              if (taken.stream().anyMatch(t -> Sampling.nearDuplicate(t, simhash))) {
                nearDup++;
                continue;
              }
              Integer budget = spec.budgets().get(stratum);
              if (budget != null && perStratum.getOrDefault(stratum, 0) >= budget) {
                overBudget++;
                continue;
              }
              perStratum.merge(stratum, 1, Integer::sum);
              chosen.add(d.id());
              if (simhash != 0) {
                taken.add(simhash);
              }
              Database.update(
                  c,
                  "UPDATE items SET state = 'queued', batch_id = ?, queue = ?, sampling_rule = ?, inclusion_prob = ?, overlap = ? WHERE id = ?",
                  batchId,
                  queue,
                  RULES.get(queue)
                      + (queue.equals("random")
                          ? ""
                          : "; conditional on not drawn by an earlier queue of the batch"),
                  d.inclusionProbability(),
                  spec.overlap(),
                  d.id());
              count++;
            }
            drawn.put(queue, count);
          }
          Database.update(
              c,
              "UPDATE batches SET summary_json = ? WHERE id = ?",
              Json.write(
                  Map.of("drawn", drawn, "near_duplicates", nearDup, "over_budget", overBudget)),
              batchId);
          return new BatchResult(batchId, drawn, nearDup, overBudget);
        });
  }

  /** Pool and queue sizes per source/state, for the admin page. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    db.query(
        "SELECT source, state, COUNT(*) FROM items GROUP BY source, state",
        rs -> out.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3)));
    return out;
  }

  /** Marks an item as gold (known answer). */
  public void setGold(String itemId, Set<String> labels) {
    db.update("UPDATE items SET gold_labels = ? WHERE id = ?", Item.labelString(labels), itemId);
  }
}
