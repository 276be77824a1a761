package dev.sieve.eval.threshold;

import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.eval.card.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thresholds of one model ({@code thresholds.json} next to the artifact): what serving applies by
 * default and what the card's decision metrics are computed at.
 *
 * @param format file format id
 * @param selectedOn always "dev"
 * @param datasetVersion dataset the dev split came from
 * @param scoreSpace "calibrated" when thresholds apply to calibrated scores (calibration.json),
 *     "raw" otherwise
 * @param categories category id to its choice
 */
public record ThresholdSet(
    String format,
    String selectedOn,
    String datasetVersion,
    String scoreSpace,
    Map<String, ThresholdChoice> categories) {

  /** The format and file serving reads (core {@code ServedThresholds}): one definition for both. */
  public static final String FORMAT = ServedThresholds.FORMAT;

  public static final String FILE = ServedThresholds.FILE;

  public ThresholdSet {
    categories = new TreeMap<>(categories);
  }

  /** Category to threshold value. */
  public Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    categories.forEach((c, t) -> out.put(c, t.threshold()));
    return out;
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, Json.exact().writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static ThresholdSet read(Path file) {
    try {
      ThresholdSet set = Json.exact().readValue(file.toFile(), ThresholdSet.class);
      if (!FORMAT.equals(set.format())) {
        throw new IllegalArgumentException(
            file + ": unknown thresholds format '" + set.format() + "'");
      }
      return set;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read thresholds " + file, e);
    }
  }
}
