package dev.sieve.eval.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Predictions as JSON lines, {@code {"id": "...", "scores": {"adult": 0.12, ...}}} (gzipped when
 * the name ends in .gz): lets a trainer outside the JVM, or an earlier run, supply scores, and lets
 * a run save the scores it computed for later re-evaluation without re-scoring.
 */
public final class PredictionsFile implements PredictionSource {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Path file;
  private Map<String, double[]> cache;
  private List<String> cachedCategories;

  public PredictionsFile(Path file) {
    this.file = file;
  }

  @Override
  public String describe() {
    return "predictions file " + file.getFileName();
  }

  /** Examples missing from the file are reported as rejected ("no prediction"). */
  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    Map<String, double[]> byId = parsed(categories);
    int n = examples.size();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : categories) {
      double[] v = new double[n];
      Arrays.fill(v, Double.NaN);
      out.put(c, v);
    }
    List<Predictions.Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] s = byId.get(examples.get(i).id());
      if (s == null) {
        rejected.add(
            new Predictions.Rejected(
                i, examples.get(i).id(), "no prediction in " + file.getFileName()));
        continue;
      }
      for (int c = 0; c < categories.size(); c++) {
        out.get(categories.get(c))[i] = s[c];
      }
    }
    return new Predictions(Scores.of(out, n), rejected, Optional.empty());
  }

  /** The file parsed once per category list (dev and test are usually read from one file). */
  private synchronized Map<String, double[]> parsed(List<String> categories) {
    if (cache != null && cachedCategories.equals(categories)) {
      return cache;
    }
    Map<String, double[]> byId = new HashMap<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = MAPPER.readTree(line);
        if (!node.hasNonNull("id") || !node.path("scores").isObject()) {
          throw new IllegalArgumentException(
              file + ":" + lineNo + ": expected {\"id\":..., \"scores\":{...}}");
        }
        JsonNode scores = node.get("scores");
        double[] v = new double[categories.size()];
        for (int c = 0; c < v.length; c++) {
          JsonNode x = scores.get(categories.get(c));
          v[c] = x != null && x.isNumber() ? x.asDouble() : Double.NaN;
        }
        byId.put(node.get("id").asText(), v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read predictions " + file, e);
    }
    cache = byId;
    cachedCategories = List.copyOf(categories);
    return byId;
  }

  /** Writes scores (no-opinion values omitted) in example order. */
  public static void write(Path file, List<Example> examples, Scores scores) {
    try (BufferedWriter w =
        new BufferedWriter(new OutputStreamWriter(create(file), StandardCharsets.UTF_8))) {
      for (int i = 0; i < examples.size(); i++) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", examples.get(i).id());
        ObjectNode s = node.putObject("scores");
        for (String c : scores.categories()) {
          double v = scores.get(c)[i];
          if (!Double.isNaN(v)) {
            s.put(c, v);
          }
        }
        w.write(MAPPER.writeValueAsString(node));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write predictions " + file, e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static OutputStream create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream out = Files.newOutputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
  }
}
