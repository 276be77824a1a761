package dev.sieve.eval.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.metrics.ScoreBins;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What live traffic looked like, in the shape drift is measured on: per tier and category the score
 * histogram over the cards' bins ({@link ScoreBins}), per category the positive decisions of the
 * served verdict, and the input profile (what requests carried, how each tier answered, which items
 * failed). Read from {@code ./sieve classify-batch} output or from a router's Prometheus
 * exposition; both describe fresh verdicts only (the batch's lines, the router's non-cache-hit
 * verdicts).
 */
public final class LiveScores {

  /** The tier name of the verdict's merged score (the router's {@code tier="merged"}). */
  public static final String MERGED = "merged";

  private final Map<String, Map<String, long[]>> histograms = new TreeMap<>();
  private final Map<String, Long> decisions = new TreeMap<>();
  private final Map<String, Long> inputs = new TreeMap<>();
  private final Map<String, Map<String, Long>> tierStates = new TreeMap<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private long verdicts;
  private final String source;

  private LiveScores(String source) {
    this.source = source;
  }

  /** Where the scores came from, for the report. */
  public String source() {
    return source;
  }

  /** Score histogram of one tier's category, null when none was seen. */
  public long[] histogram(String tier, String category) {
    Map<String, long[]> byCategory = histograms.get(tier);
    return byCategory == null ? null : byCategory.get(category);
  }

  /** tier -> category -> histogram (read-only view). */
  public Map<String, Map<String, long[]>> histograms() {
    return histograms;
  }

  /** Positive decisions per category (served verdict). */
  public long decisions(String category) {
    return decisions.getOrDefault(category, 0L);
  }

  /** Input kinds (url_only, html, text) and their counts. */
  public Map<String, Long> inputs() {
    return inputs;
  }

  /** tier -> state (OK, SKIPPED, TIMEOUT, ...) -> count. */
  public Map<String, Map<String, Long>> tierStates() {
    return tierStates;
  }

  /** Items that got no verdict, by gRPC code (classify-batch error lines). */
  public Map<String, Long> errors() {
    return errors;
  }

  /** Fresh verdicts (items with a verdict). */
  public long verdicts() {
    return verdicts;
  }

  private long[] bins(String tier, String category) {
    return histograms
        .computeIfAbsent(tier, t -> new TreeMap<>())
        .computeIfAbsent(category, c -> new long[ScoreBins.BINS]);
  }

  private static void add(Map<String, Long> map, String key, long n) {
    map.merge(key, n, Long::sum);
  }

  // ---------------------------------------------------------------- classify-batch output

  /**
   * Reads {@code ./sieve classify-batch} output: per line {@code {id, url, input?, categories:
   * {<id>: {score, decision}}, tiers: {<tier>: <state>}}} or {@code {id, url, error: {code}}}. The
   * merged scores go under {@link #MERGED}. Without the {@code input} field (output of an older
   * CLI) the input kind is inferred: content tier SKIPPED or absent means a URL-only request.
   */
  public static LiveScores fromBatch(Path file) {
    LiveScores live = new LiveScores("classify-batch output " + file);
    ObjectMapper mapper = new ObjectMapper();
    try (BufferedReader reader = reader(file)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode item;
        try {
          item = mapper.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              file + " line " + number + " is not JSON: " + e.getMessage());
        }
        if (item.has("error")) {
          add(live.errors, item.path("error").path("code").asText("UNKNOWN"), 1);
          continue;
        }
        JsonNode categories = item.path("categories");
        if (!categories.isObject()) {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + number
                  + " has neither categories nor error:"
                  + " not classify-batch output");
        }
        live.verdicts++;
        for (Iterator<Map.Entry<String, JsonNode>> it = categories.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          int bin = ScoreBins.bin(e.getValue().path("score").asDouble(Double.NaN));
          if (bin >= 0) {
            live.bins(MERGED, e.getKey())[bin]++;
          }
          if (e.getValue().path("decision").asBoolean(false)) {
            add(live.decisions, e.getKey(), 1);
          }
        }
        JsonNode tiers = item.path("tiers");
        for (Iterator<Map.Entry<String, JsonNode>> it = tiers.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          add(
              live.tierStates.computeIfAbsent(e.getKey(), t -> new TreeMap<>()),
              e.getValue().asText(),
              1);
        }
        String input = item.path("input").asText("");
        if (input.isEmpty()) {
          String content = tiers.path("content").asText("");
          input = content.isEmpty() || content.equals("SKIPPED") ? "url_only" : "page";
        }
        add(live.inputs, input, 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return live;
  }

  private static BufferedReader reader(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- Prometheus exposition

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /**
   * Reads a router's {@code /metrics} text: {@code sieve_router_category_score_bucket} (cumulative
   * over the cards' edges, per category and tier), {@code sieve_router_decisions_total}, {@code
   * sieve_router_inputs_total} and {@code sieve_router_tier_outcomes_total}. Counters are totals
   * since the router started; with {@code since} (an earlier scrape of the same router) the
   * difference is taken, which is the traffic between the two scrapes.
   *
   * @throws IllegalArgumentException when the text has no score histogram, or a bucket's edges are
   *     not the cards' (a router that predates the fixed-edge histograms)
   */
  public static LiveScores fromPrometheus(String text, String since, String source) {
    LiveScores now = parse(text, source);
    if (since == null) {
      return now;
    }
    LiveScores before = parse(since, source);
    LiveScores window = new LiveScores(source + " (difference to an earlier scrape)");
    now.histograms.forEach(
        (tier, byCategory) ->
            byCategory.forEach(
                (category, h) -> {
                  long[] earlier = before.histogram(tier, category);
                  long[] out = window.bins(tier, category);
                  for (int i = 0; i < h.length; i++) {
                    out[i] = h[i] - (earlier == null ? 0 : earlier[i]);
                    if (out[i] < 0) {
                      throw new IllegalArgumentException(
                          "counters went down between the scrapes (router restarted?):"
                              + " category "
                              + category
                              + ", tier "
                              + tier);
                    }
                  }
                }));
    now.decisions.forEach(
        (k, v) -> add(window.decisions, k, v - before.decisions.getOrDefault(k, 0L)));
    now.inputs.forEach((k, v) -> add(window.inputs, k, v - before.inputs.getOrDefault(k, 0L)));
    now.tierStates.forEach(
        (tier, states) ->
            states.forEach(
                (state, v) ->
                    add(
                        window.tierStates.computeIfAbsent(tier, t -> new TreeMap<>()),
                        state,
                        v
                            - before
                                .tierStates
                                .getOrDefault(tier, Map.of())
                                .getOrDefault(state, 0L))));
    window.verdicts = now.verdicts - before.verdicts;
    return window;
  }

  private static LiveScores parse(String text, String source) {
    LiveScores live = new LiveScores(source);
    double[] edges = ScoreBins.upperEdges();
    // tier -> category -> cumulative count per edge (+Inf last)
    Map<String, Map<String, double[]>> cumulative = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        continue;
      }
      String name = m.group(1);
      Map<String, String> labels = labels(m.group(2));
      double value;
      try {
        value = Double.parseDouble(m.group(3));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (name) {
        case "sieve_router_category_score_bucket" -> {
          String le = labels.getOrDefault("le", "");
          int index = le.equals("+Inf") ? edges.length : edgeIndex(edges, le);
          if (index < 0) {
            throw new IllegalArgumentException(
                "sieve_router_category_score has a bucket le=\""
                    + le
                    + "\" that is not one of the model cards' bin edges: the router predates the fixed-edge score histograms");
          }
          double[] series =
              cumulative
                  .computeIfAbsent(labels.getOrDefault("tier", MERGED), t -> new TreeMap<>())
                  .computeIfAbsent(labels.get("category"), c -> new double[2 * (edges.length + 1)]);
          series[index] += value;
          series[edges.length + 1 + index] = 1; // edge seen
        }
        case "sieve_router_decisions_total" ->
            add(live.decisions, labels.get("category"), Math.round(value));
        case "sieve_router_inputs_total" ->
            add(live.inputs, labels.get("input"), Math.round(value));
        case "sieve_router_tier_outcomes_total" ->
            add(
                live.tierStates.computeIfAbsent(labels.get("tier"), t -> new TreeMap<>()),
                labels.get("state"),
                Math.round(value));
        default -> {}
      }
    }
    if (cumulative.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " has no sieve_router_category_score_bucket series: not a router's"
              + " /metrics, or no fresh verdict yet");
    }
    cumulative.forEach(
        (tier, byCategory) ->
            byCategory.forEach(
                (category, c) -> {
                  for (int i = 0; i <= edges.length; i++) {
                    if (c[edges.length + 1 + i] == 0) {
                      throw new IllegalArgumentException(
                          "sieve_router_category_score{category=\""
                              + category
                              + "\",tier=\""
                              + tier
                              + "\"} lacks the bucket le=\""
                              + (i == edges.length ? "+Inf" : Double.toString(edges[i]))
                              + "\": not the model cards' 20 bins (a router that predates the fixed-edge score histograms?)");
                    }
                  }
                  long[] bins = live.bins(tier, category);
                  double previous = 0;
                  for (int i = 0; i < edges.length; i++) {
                    bins[i] = Math.round(c[i] - previous);
                    previous = c[i];
                  }
                }));
    Map<String, long[]> merged = live.histograms.get(MERGED);
    if (merged != null && !merged.isEmpty()) {
      long[] any = merged.values().iterator().next();
      live.verdicts = Arrays.stream(any).sum();
    }
    return live;
  }

  private static int edgeIndex(double[] edges, String le) {
    double v;
    try {
      v = Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return -1;
    }
    for (int i = 0; i < edges.length; i++) {
      if (Math.abs(edges[i] - v) < 1e-9) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new TreeMap<>();
    Matcher m = LABEL.matcher(text);
    while (m.find()) {
      labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return labels;
  }

  /**
   * The scores of a legacy {@code {"id", "scores": {category: score}}} JSONL file, as one tier's.
   */
  public static LiveScores fromScores(Path file, String tier) {
    LiveScores live = new LiveScores("scores file " + file);
    ObjectMapper mapper = new ObjectMapper();
    try (BufferedReader reader = reader(file)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode scores = mapper.readTree(line).path("scores");
        live.verdicts++;
        for (Iterator<Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          int bin = ScoreBins.bin(e.getValue().asDouble(Double.NaN));
          if (bin >= 0) {
            live.bins(tier, e.getKey())[bin]++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return live;
  }
}
