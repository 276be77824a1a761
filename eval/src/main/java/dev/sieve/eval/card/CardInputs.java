package dev.sieve.eval.card;

import dev.sieve.eval.calibration.CalibrationSet;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.threshold.ThresholdSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a model card is generated from. Same inputs, byte-identical card: nothing here may be
 * a clock reading or an unordered collection.
 *
 * @param metadata trainer-supplied metadata (model-metadata.json)
 * @param modelDir directory holding the artifacts (hashed) and receiving the card
 * @param evaluation evaluation on the card's split (test) at the dev-chosen thresholds
 * @param thresholds thresholds chosen on dev
 * @param calibration calibration fitted on dev, or null when none was applied
 * @param datasetVersion evaluated dataset version id
 * @param manifestSha256 SHA-256 of the dataset manifest ("" when unknown)
 * @param dataCard path of the dataset's data card relative to the repository root
 * @param inputs dataset files evaluated on ("domains", "background", "texts")
 * @param classBalance training-split class balance (empty when unknown)
 * @param baselines baselines on the same split, in display order
 * @param rejected inputs the model refused
 * @param protectedSlices protected slice name to description
 * @param predictionSource how predictions were obtained, in words
 * @param extraCaveats caveats from the pipeline (e.g. a baseline that could not run)
 * @param servedActions what the served default policy does with each category (the card's action
 *     column)
 */
public record CardInputs(
    ModelMetadata metadata,
    Path modelDir,
    EvaluationResult evaluation,
    ThresholdSet thresholds,
    CalibrationSet calibration,
    String datasetVersion,
    String manifestSha256,
    String dataCard,
    List<String> inputs,
    List<ModelCard.ClassBalance> classBalance,
    List<ModelCard.BaselineSummary> baselines,
    List<Predictions.Rejected> rejected,
    Map<String, String> protectedSlices,
    String predictionSource,
    List<String> extraCaveats,
    ServedActions servedActions) {

  public CardInputs {
    servedActions = servedActions == null ? ServedActions.taxonomyDefaults() : servedActions;
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    classBalance = classBalance == null ? List.of() : List.copyOf(classBalance);
    baselines = baselines == null ? List.of() : List.copyOf(baselines);
    rejected = rejected == null ? List.of() : List.copyOf(rejected);
    protectedSlices = protectedSlices == null ? Map.of() : new TreeMap<>(protectedSlices);
    extraCaveats = extraCaveats == null ? List.of() : List.copyOf(extraCaveats);
    manifestSha256 = manifestSha256 == null ? "" : manifestSha256;
    dataCard = dataCard == null ? "" : dataCard;
    predictionSource = predictionSource == null ? "" : predictionSource;
  }

  /** Inputs whose action column shows the taxonomy's proposals (no policy file at hand). */
  public CardInputs(
      ModelMetadata metadata,
      Path modelDir,
      EvaluationResult evaluation,
      ThresholdSet thresholds,
      CalibrationSet calibration,
      String datasetVersion,
      String manifestSha256,
      String dataCard,
      List<String> inputs,
      List<ModelCard.ClassBalance> classBalance,
      List<ModelCard.BaselineSummary> baselines,
      List<Predictions.Rejected> rejected,
      Map<String, String> protectedSlices,
      String predictionSource,
      List<String> extraCaveats) {
    this(
        metadata,
        modelDir,
        evaluation,
        thresholds,
        calibration,
        datasetVersion,
        manifestSha256,
        dataCard,
        inputs,
        classBalance,
        baselines,
        rejected,
        protectedSlices,
        predictionSource,
        extraCaveats,
        null);
  }

  /** The minimum a trainer calling the API directly must supply. */
  public static CardInputs minimal(
      ModelMetadata metadata,
      Path modelDir,
      EvaluationResult evaluation,
      ThresholdSet thresholds,
      String datasetVersion) {
    return new CardInputs(
        metadata,
        modelDir,
        evaluation,
        thresholds,
        null,
        datasetVersion,
        "",
        "",
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Map.of(),
        "in-process (trainer)",
        List.of());
  }
}
