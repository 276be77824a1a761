package dev.sieve.eval.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Wilson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * What the router's disagreement file (SIEVE_CANDIDATE_LOG_FILE, written by the router's candidate
 * routing, #15) says about a candidate version against the serving one: per category the
 * decision-flip rate (with a 95% interval), the flips in each direction, the mean absolute score
 * delta, and the hosts behind the flips; overall the share of comparisons with any flip.
 *
 * <p>The file holds every comparison with a flip or a large delta and only a sample of the others;
 * each line carries {@code log_p}, the probability it had of being written, so every estimate here
 * weights a line by {@code 1 / log_p} (Horvitz-Thompson) and its interval uses the effective sample
 * size. Flip counts are exact (every flip is written). A report on a file without agreements at all
 * would overstate the rates; the weights make that impossible to miss ("logged" vs "estimated
 * comparisons" in the summary).
 */
public final class ShadowAnalysis {

  /** Flip rate above which a category's disagreement needs an explanation before promotion. */
  public static final double FLIP_RATE_EXPLAIN = 0.01;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One category's figures. */
  public record Row(
      String category,
      double compared,
      long flips,
      long candidateOnly,
      long servingOnly,
      double flipRate,
      Bootstrap.Interval interval,
      double meanAbsDelta,
      List<String> hosts) {

    /** True when the flip rate's lower bound is above {@link #FLIP_RATE_EXPLAIN}. */
    public boolean needsExplanation() {
      return interval.lower() > FLIP_RATE_EXPLAIN;
    }
  }

  private final String source;
  private final long lines;
  private final double estimatedComparisons;
  private final double anyFlipRate;
  private final Map<String, Long> servingModels;
  private final Map<String, Long> candidateModels;
  private final Map<String, Long> modes;
  private final List<Row> rows;
  private final long malformed;

  private ShadowAnalysis(
      String source,
      long lines,
      double estimatedComparisons,
      double anyFlipRate,
      Map<String, Long> servingModels,
      Map<String, Long> candidateModels,
      Map<String, Long> modes,
      List<Row> rows,
      long malformed) {
    this.source = source;
    this.lines = lines;
    this.estimatedComparisons = estimatedComparisons;
    this.anyFlipRate = anyFlipRate;
    this.servingModels = servingModels;
    this.candidateModels = candidateModels;
    this.modes = modes;
    this.rows = rows;
    this.malformed = malformed;
  }

  /** Reads a disagreement file (JSONL, .gz ok). */
  public static ShadowAnalysis of(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return of(reader, file.toString());
    }
  }

  /** Reads disagreement lines from {@code reader}; malformed lines are counted, not fatal. */
  public static ShadowAnalysis of(BufferedReader reader, String source) throws IOException {
    Map<String, Acc> acc = new TreeMap<>();
    Map<String, Long> servingModels = new TreeMap<>();
    Map<String, Long> candidateModels = new TreeMap<>();
    Map<String, Long> modes = new TreeMap<>();
    long lines = 0;
    long malformed = 0;
    double weight = 0;
    double weightSq = 0;
    double anyFlip = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        malformed++;
        continue;
      }
      double p = node.path("log_p").asDouble(Double.NaN);
      if (!node.has("serving") || !node.has("candidate") || !(p > 0 && p <= 1)) {
        malformed++;
        continue;
      }
      lines++;
      double w = 1 / p;
      weight += w;
      weightSq += w * w;
      servingModels.merge(node.path("serving_model").asText("?"), 1L, Long::sum);
      candidateModels.merge(node.path("candidate_model").asText("?"), 1L, Long::sum);
      modes.merge(
          node.path("mode").asText("?") + "/" + node.path("served_by").asText("?"), 1L, Long::sum);
      TreeSet<String> flips = new TreeSet<>();
      node.path("flips").forEach(f -> flips.add(f.asText()));
      if (!flips.isEmpty()) {
        anyFlip += w;
      }
      JsonNode serving = node.get("serving");
      JsonNode candidate = node.get("candidate");
      JsonNode thresholds = node.path("thresholds");
      String host = node.path("host").asText("");
      for (Iterator<String> it = serving.fieldNames(); it.hasNext(); ) {
        String category = it.next();
        if (!candidate.has(category)) {
          continue;
        }
        Acc a = acc.computeIfAbsent(category, c -> new Acc());
        double delta =
            Math.abs(candidate.get(category).asDouble() - serving.get(category).asDouble());
        a.weight += w;
        a.weightSq += w * w;
        a.deltaSum += w * delta;
        if (flips.contains(category)) {
          a.flipWeight += w;
          a.flips++;
          double threshold = thresholds.path(category).asDouble(0.5);
          if (candidate.get(category).asDouble() >= threshold) {
            a.candidateOnly++;
          } else {
            a.servingOnly++;
          }
          if (!host.isEmpty()) {
            a.hosts.merge(host, 1L, Long::sum);
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Acc> e : acc.entrySet()) {
      Acc a = e.getValue();
      double rate = a.weight == 0 ? 0 : a.flipWeight / a.weight;
      double nEff = a.weightSq == 0 ? 0 : a.weight * a.weight / a.weightSq;
      List<String> hosts =
          a.hosts.entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue()
                      .reversed()
                      .thenComparing(Map.Entry.comparingByKey()))
              .limit(5)
              .map(h -> h.getKey() + " (" + h.getValue() + ")")
              .toList();
      rows.add(
          new Row(
              e.getKey(),
              a.weight,
              a.flips,
              a.candidateOnly,
              a.servingOnly,
              rate,
              Wilson.interval(rate, nEff),
              a.weight == 0 ? 0 : a.deltaSum / a.weight,
              hosts));
    }
    rows.sort(Comparator.comparingDouble(Row::flipRate).reversed().thenComparing(Row::category));
    return new ShadowAnalysis(
        source,
        lines,
        weight,
        weight == 0 ? 0 : anyFlip / weight,
        servingModels,
        candidateModels,
        modes,
        List.copyOf(rows),
        malformed);
  }

  public String source() {
    return source;
  }

  /** Lines read (logged comparisons). */
  public long lines() {
    return lines;
  }

  /** Comparisons the lines stand for (sum of 1 / log_p). */
  public double estimatedComparisons() {
    return estimatedComparisons;
  }

  /** Share of comparisons with at least one flip (weighted). */
  public double anyFlipRate() {
    return anyFlipRate;
  }

  public Map<String, Long> servingModels() {
    return servingModels;
  }

  public Map<String, Long> candidateModels() {
    return candidateModels;
  }

  /** mode/served_by counts (shadow/serving; canary/candidate or canary/serving). */
  public Map<String, Long> modes() {
    return modes;
  }

  public List<Row> rows() {
    return rows;
  }

  public long malformed() {
    return malformed;
  }

  /** Categories whose flip rate is significantly above {@link #FLIP_RATE_EXPLAIN}. */
  public List<String> needingExplanation() {
    return rows.stream().filter(Row::needsExplanation).map(Row::category).toList();
  }

  /** A machine-readable summary (shadow-report.json), which {@code release promote} reads. */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", source);
    out.put("logged_comparisons", lines);
    out.put("estimated_comparisons", Math.round(estimatedComparisons));
    out.put("any_flip_rate", anyFlipRate);
    out.put("serving_models", servingModels);
    out.put("candidate_models", candidateModels);
    out.put("flip_rate_explain_threshold", FLIP_RATE_EXPLAIN);
    out.put("needs_explanation", needingExplanation());
    Map<String, Object> categories = new LinkedHashMap<>();
    for (Row r : rows) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("flips", r.flips());
      c.put("candidate_only", r.candidateOnly());
      c.put("serving_only", r.servingOnly());
      c.put("flip_rate", r.flipRate());
      c.put("flip_rate_ci", List.of(r.interval().lower(), r.interval().upper()));
      c.put("mean_abs_delta", r.meanAbsDelta());
      categories.put(r.category(), c);
    }
    out.put("categories", categories);
    return out;
  }

  private static final class Acc {
    double weight;
    double weightSq;
    double flipWeight;
    double deltaSum;
    long flips;
    long candidateOnly;
    long servingOnly;
    final Map<String, Long> hosts = new TreeMap<>();
  }
}
