package dev.sieve.lab.data.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.lab.data.io.JsonlGzWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Ranks suspected label errors of a dataset version from out-of-fold model scores, per category, in
 * the style of confident learning (Northcutt et al. 2021), for human review.
 *
 * <p>For category c, over the scored records in c's scope (given label y = 1 if c is in the
 * labels): per-class thresholds {@code t1 = mean(p | y=1)} and {@code t0 = mean(1-p | y=0)} (the
 * average self-confidence of each class). A given positive with {@code 1-p >= t0} and {@code 1-p >
 * p} is confidently negative (suggest remove); a given negative with {@code p >= t1} and {@code p >
 * 1-p} is confidently positive (suggest add). These off-diagonal counts of the confident joint
 * estimate the number of label errors; suspects are ranked by margin {@code |p - (1-p)|}, most
 * confident first. Records out of c's scope are never suspects (absent from a list is unknown, not
 * negative).
 *
 * <p>The queue is a JSONL file with an empty "decision" per row; reviewers fill "add", "remove" or
 * "keep" and {@code ./sieve data overlay} turns the decisions into a versioned overlay.
 */
public final class ReviewQueue {

  /** One scored record in a category's scope. */
  record Scored(String key, boolean isHost, boolean given, double score, String context) {}

  /** Per-category summary. */
  public record Summary(
      String category,
      int scored,
      int positives,
      int negatives,
      double thresholdPositive,
      double thresholdNegative,
      int suspectedRemove,
      int suspectedAdd,
      int written) {}

  /** Result of a run. */
  public record Result(
      List<Summary> summaries, long unmatchedScores, long outOfScope, long malformed) {}

  private ReviewQueue() {}

  public static Result run(
      DatasetVersion version, Path scoresFile, Path outFile, int limitPerCategory)
      throws IOException {
    Map<String, Map<String, Double>> scoresByCategory = new TreeMap<>();
    long malformed = 0;
    List<String> categories = Taxonomy.v1().ids();
    try (BufferedReader r = Files.newBufferedReader(scoresFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JsonlGzWriter.mapper().readTree(line);
        } catch (IOException e) {
          malformed++;
          continue;
        }
        String key =
            n.hasNonNull("host")
                ? "host:" + n.get("host").asText()
                : n.hasNonNull("id") ? "id:" + n.get("id").asText() : null;
        String category = n.path("category").asText("");
        JsonNode s = n.get("score");
        if (key == null
            || !categories.contains(category)
            || s == null
            || !s.isNumber()
            || s.asDouble() < 0
            || s.asDouble() > 1) {
          malformed++;
          continue;
        }
        scoresByCategory.computeIfAbsent(category, c -> new HashMap<>()).put(key, s.asDouble());
      }
    }
    Map<String, List<Scored>> inScope = new TreeMap<>();
    long[] matched = {0};
    long[] outOfScope = {0};
    Consumer<DomainRecord> domain =
        d -> {
          for (var e : scoresByCategory.entrySet()) {
            Double p = e.getValue().get("host:" + d.host());
            if (p == null) {
              continue;
            }
            matched[0]++;
            if (!d.inScope(e.getKey())) {
              outOfScope[0]++;
              continue;
            }
            inScope
                .computeIfAbsent(e.getKey(), c -> new ArrayList<>())
                .add(
                    new Scored(
                        d.host(),
                        true,
                        d.labels().contains(e.getKey()),
                        p,
                        String.join(",", d.sources().keySet())));
          }
        };
    version.forEachDomain(domain);
    version.forEachBackground(domain);
    version.forEachText(
        (TextRecord t) -> {
          for (var e : scoresByCategory.entrySet()) {
            Double p = e.getValue().get("id:" + t.id());
            if (p == null) {
              continue;
            }
            matched[0]++;
            if (!t.inScope(e.getKey())) {
              outOfScope[0]++;
              continue;
            }
            String text = t.text().length() > 300 ? t.text().substring(0, 300) + "..." : t.text();
            inScope
                .computeIfAbsent(e.getKey(), c -> new ArrayList<>())
                .add(
                    new Scored(
                        t.id(),
                        false,
                        t.labels().contains(e.getKey()),
                        p,
                        t.source() + ": " + text));
          }
        });
    long totalScores = scoresByCategory.values().stream().mapToLong(Map::size).sum();
    List<Summary> summaries = new ArrayList<>();
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
      for (var e : inScope.entrySet()) {
        summaries.add(rank(e.getKey(), e.getValue(), limitPerCategory, version.id(), w));
      }
    }
    return new Result(summaries, totalScores - matched[0], outOfScope[0], malformed);
  }

  static Summary rank(
      String category, List<Scored> scored, int limit, String versionId, BufferedWriter w)
      throws IOException {
    double sumPos = 0;
    double sumNeg = 0;
    int pos = 0;
    int neg = 0;
    for (Scored s : scored) {
      if (s.given()) {
        sumPos += s.score();
        pos++;
      } else {
        sumNeg += 1 - s.score();
        neg++;
      }
    }
    double t1 = pos == 0 ? Double.NaN : sumPos / pos;
    double t0 = neg == 0 ? Double.NaN : sumNeg / neg;
    List<Scored> suspects = new ArrayList<>();
    int remove = 0;
    int add = 0;
    for (Scored s : scored) {
      double p = s.score();
      if (s.given() && neg > 0 && 1 - p >= t0 && 1 - p > p) {
        suspects.add(s);
        remove++;
      } else if (!s.given() && pos > 0 && p >= t1 && p > 1 - p) {
        suspects.add(s);
        add++;
      }
    }
    suspects.sort(
        Comparator.comparingDouble((Scored s) -> -Math.abs(2 * s.score() - 1))
            .thenComparing(Scored::key));
    int written = 0;
    for (Scored s : suspects) {
      if (written >= limit) {
        break;
      }
      written++;
      ObjectNode o = JsonlGzWriter.mapper().createObjectNode();
      o.put("dataset_version", versionId);
      o.put("category", category);
      o.put("rank", written);
      o.put(s.isHost() ? "host" : "id", s.key());
      o.put("given", s.given() ? 1 : 0);
      o.put("score", s.score());
      o.put("margin", Math.abs(2 * s.score() - 1));
      o.put("suggested", s.given() ? "remove" : "add");
      o.put("context", s.context());
      o.put("decision", "");
      o.put("reviewer", "");
      o.put("reason", "");
      w.write(JsonlGzWriter.toJson(o));
      w.write('\n');
    }
    return new Summary(category, scored.size(), pos, neg, t1, t0, remove, add, written);
  }
}
