package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.eval.Scores;
import dev.sieve.eval.card.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-category calibrators of one model, as saved next to its artifact ({@code calibration.json}).
 * Tiers load it with {@link #read(Path)} and call {@link #apply(String, double)} when serving, so
 * the scores the router sees are the scores the card measured.
 *
 * @param format file format id
 * @param fittedOn always "dev": calibration is never fitted on the split it is judged on
 * @param datasetVersion dataset the dev split came from
 * @param categories category id to its calibration
 */
public record CalibrationSet(
    @JsonProperty("format") String format,
    @JsonProperty("fitted_on") String fittedOn,
    @JsonProperty("dataset_version") String datasetVersion,
    @JsonProperty("categories") Map<String, CategoryCalibration> categories) {

  public static final String FORMAT = "sieve-calibration/1";
  public static final String FILE = "calibration.json";

  public CalibrationSet {
    categories = new TreeMap<>(categories);
  }

  /** Calibrated score; categories without a calibrator pass through unchanged. */
  public double apply(String category, double score) {
    CategoryCalibration c = categories.get(category);
    return c == null ? score : c.calibrator().apply(score);
  }

  /** Applies every category's calibrator to a score table. */
  public Scores apply(Scores raw) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : raw.categories()) {
      CategoryCalibration cal = categories.get(c);
      out.put(c, cal == null ? raw.get(c) : cal.calibrator().applyAll(raw.get(c)));
    }
    return Scores.of(out, raw.size());
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, Json.exact().writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static CalibrationSet read(Path file) {
    try {
      ObjectMapper mapper = Json.exact();
      CalibrationSet set = mapper.readValue(file.toFile(), CalibrationSet.class);
      if (!FORMAT.equals(set.format())) {
        throw new IllegalArgumentException(
            file + ": unknown calibration format '" + set.format() + "'");
      }
      return set;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read calibration " + file, e);
    }
  }

  /** This set after a write/read cycle: what serving will load, bit for bit. */
  public CalibrationSet roundTrip() {
    try {
      ObjectMapper mapper = Json.exact();
      return mapper.readValue(mapper.writeValueAsString(this), CalibrationSet.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
