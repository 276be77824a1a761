package dev.sieve.core.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-category thresholds the evaluation standard chose on dev for one model version ({@code
 * thresholds.json}, written by {@code ./sieve eval run}), as a serving tier applies them.
 *
 * <p>Why it lives in core: the release gate passes a model only when serving decides at exactly the
 * thresholds its card measured. Each tier therefore aligns its probabilities with these values
 * ({@link ThresholdAlignment}) rather than with thresholds of its own trainer, and the tiers cannot
 * depend on the evaluation module at run time. This reader accepts only what serving can honour:
 * thresholds selected on dev, on the tier's own probabilities ({@code score_space: raw}); a file
 * chosen on scores re-calibrated by the evaluator would be applied to the wrong scale, so it is
 * refused with a message instead of being silently misapplied.
 *
 * @param file where the thresholds were read from
 * @param datasetVersion dataset version whose dev split chose them
 * @param values category id to threshold on the tier's probability scale
 */
public record ServedThresholds(Path file, String datasetVersion, Map<String, Double> values) {

  /** File name next to the model artifacts. */
  public static final String FILE = "thresholds.json";

  /** The only file format this reader understands (eval's ThresholdSet). */
  public static final String FORMAT = "sieve-thresholds/1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ServedThresholds {
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Reads {@code <modelDir>/thresholds.json} when it exists.
   *
   * @return empty when the model directory has no thresholds file (a model not yet evaluated by the
   *     standard: the tier falls back to its trainer's thresholds and says so)
   * @throws IllegalArgumentException when the file exists but is not usable by serving; the message
   *     names the file and the field
   */
  public static Optional<ServedThresholds> load(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object");
    }
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(file + ": format '" + format + "' is not " + FORMAT);
    }
    String selectedOn = root.path("selected_on").asText("");
    if (!"dev".equals(selectedOn)) {
      throw new IllegalArgumentException(
          file
              + ": thresholds selected on '"
              + selectedOn
              + "'; serving only applies thresholds selected on the dev split");
    }
    String space = root.path("score_space").asText("");
    if (!"raw".equals(space)) {
      throw new IllegalArgumentException(
          file
              + ": score_space '"
              + space
              + "' is not 'raw': these"
              + " thresholds apply to scores re-calibrated by the evaluator, which this tier does not serve"
              + " (re-run ./sieve eval run without evaluator calibration for a self-calibrating tier)");
    }
    Map<String, Double> values = new TreeMap<>();
    JsonNode categories = root.path("categories");
    for (Iterator<Map.Entry<String, JsonNode>> it = categories.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode t = e.getValue().path("threshold");
      if (!t.isNumber() || !(t.asDouble() > 0.0 && t.asDouble() < 1.0)) {
        throw new IllegalArgumentException(
            file
                + ": categories."
                + e.getKey()
                + ".threshold must be a number in (0, 1), got "
                + t);
      }
      values.put(e.getKey(), t.asDouble());
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException(file + ": no category thresholds");
    }
    return Optional.of(new ServedThresholds(file, root.path("dataset_version").asText(""), values));
  }

  /** The standard's threshold for {@code category}, or {@code fallback} when it has none. */
  public double thresholdOr(String category, double fallback) {
    Double t = values.get(category);
    return t == null ? fallback : t;
  }
}
