package dev.sieve.eval.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Leave-one-source-out results: for each source, a model trained and tuned without it, measured on
 * it — the closest thing to "traffic we have never seen" the team can compute itself. Written by
 * the tier's trainer next to the model ({@value #FILE}); the card shows it as its own section and
 * the release gate holds floors on it ({@code gate.loso} in release-gate.yaml).
 *
 * @param method how each fold was trained, calibrated and thresholded
 * @param datasetVersion dataset version the folds were computed on
 * @param folds one per held-out source
 */
public record LeaveOneSourceOut(String method, String datasetVersion, List<Fold> folds) {

  public static final String FILE = "loso.json";

  /**
   * One held-out source.
   *
   * @param source the source held out of training, calibration and threshold selection
   * @param items its records (all splits: none of them was seen)
   * @param categories per category the source says something about
   */
  public record Fold(String source, long items, List<FoldCategory> categories) {}

  /**
   * One category on one held-out source.
   *
   * @param category taxonomy id
   * @param positives held-out positives
   * @param ordinary held-out ordinary (background) items not labelled with the category
   * @param threshold the fold's threshold (chosen on the remaining sources' dev split)
   * @param recallHeldOut recall on the held-out positives at the fold's threshold
   * @param recallInDistribution recall on the same source's test positives of the model trained
   *     with every source (at its own threshold): the drop is the price of never having seen it
   * @param flagRateHeldOut share of the held-out ordinary items flagged, Wilson interval
   * @param flagRateInDistribution the same rate for the model trained with every source, on the
   *     source's test items
   */
  public record FoldCategory(
      String category,
      long positives,
      long ordinary,
      Double threshold,
      Estimate recallHeldOut,
      Double recallInDistribution,
      Estimate flagRateHeldOut,
      Double flagRateInDistribution) {

    /** Recall lost by never having seen the source (null when either side is missing). */
    public Double recallDrop() {
      return recallHeldOut == null || recallHeldOut.value() == null || recallInDistribution == null
          ? null
          : recallInDistribution - recallHeldOut.value();
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  public void write(Path file) {
    try {
      Files.writeString(file, JSON.writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The report next to a model, if its trainer wrote one. */
  public static Optional<LeaveOneSourceOut> read(Path modelDir) {
    Path file = modelDir == null ? null : modelDir.resolve(FILE);
    if (file == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), LeaveOneSourceOut.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
