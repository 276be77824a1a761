package dev.sieve.eval.card;

import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.LeaveOneSourceOut;
import dev.sieve.eval.threshold.ThresholdChoice;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable model card ({@code model-card.json}), sections after Mitchell et al. 2019
 * "Model Cards for Model Reporting", extended for a safety classifier. The Markdown and HTML pages
 * are renderings of this record only, so they cannot disagree with it.
 */
public record ModelCard(
    String schema,
    ExecutiveSummary executiveSummary,
    ModelDetails modelDetails,
    IntendedUse intendedUse,
    Factors factors,
    MetricsSection metrics,
    EvaluationData evaluationData,
    TrainingData trainingData,
    EvaluationResult quantitativeAnalyses,
    CalibrationSummary calibration,
    List<BaselineSummary> baselines,
    List<String> ethicalConsiderations,
    List<String> caveats,
    LeaveOneSourceOut leaveOneSourceOut) {

  public static final String SCHEMA = "sieve-model-card/1";
  public static final String JSON = "model-card.json";
  public static final String MARKDOWN = "model-card.md";
  public static final String HTML = "model-card.html";

  /** One paragraph and one table a school leader can act on. */
  public record ExecutiveSummary(String paragraph, List<SummaryRow> rows) {}

  /**
   * One category in plain numbers.
   *
   * @param catchesPer100 harmful items caught per 100 (recall), null when not measured
   * @param wronglyFlagsPer1000 ordinary sites flagged per 1,000 (background flag rate on URLs)
   * @param action what a flag does by default: "block", "alert" or "allow"
   * @param note "not measured: only N labelled examples" and the like
   * @param wronglyFlagsTextsPer1000 ordinary texts flagged per 1,000 (null when no ordinary text)
   * @param wronglyFlagsPagesPer1000 ordinary real pages flagged per 1,000 (null when no pages)
   */
  public record SummaryRow(
      String category,
      String displayName,
      String action,
      Long catchesPer100,
      Long wronglyFlagsPer1000,
      String note,
      Long wronglyFlagsTextsPer1000,
      Long wronglyFlagsPagesPer1000) {}

  /** Who and what the model is. */
  public record ModelDetails(
      String name,
      String version,
      String date,
      String tier,
      String type,
      String trainingAlgorithm,
      Map<String, Object> hyperparameters,
      String codeCommit,
      List<Artifact> artifacts,
      String license,
      String owner,
      String contact,
      String predictionSource,
      String scoreSpace) {}

  /** An artifact file and its hash. */
  public record Artifact(String path, String sha256, long bytes) {}

  /** Intended use, users and out-of-scope uses. */
  public record IntendedUse(
      String intendedUse, List<String> primaryUsers, List<String> outOfScope) {}

  /** The factors the analyses are sliced by, and the protected slices with their definitions. */
  public record Factors(List<String> sliceDimensions, Map<String, String> protectedSlices) {}

  /**
   * Decision thresholds and how they were chosen, and how every number below is defined.
   *
   * @param thresholds per category, in taxonomy order
   * @param definitions metric name to definition in words
   */
  public record MetricsSection(
      List<ThresholdChoice> thresholds,
      Map<String, String> definitions,
      int bootstrapResamples,
      long seed,
      double confidence,
      int minPositives) {}

  /**
   * What the model was evaluated on.
   *
   * @param datasetVersion dataset version id (content hash)
   * @param manifestSha256 SHA-256 of the dataset's manifest.json
   * @param split evaluated split
   * @param inputs dataset files used (domains, background, texts)
   * @param dataCard relative path of the dataset's data card
   * @param rejectedInputs inputs the model refused (excluded from metrics)
   * @param rejectedSamples up to 10 of them with the reason
   */
  public record EvaluationData(
      String datasetVersion,
      String manifestSha256,
      String split,
      List<String> inputs,
      long examples,
      long backgroundExamples,
      String dataCard,
      long rejectedInputs,
      List<String> rejectedSamples) {}

  /** Training data as far as the card can state it. */
  public record TrainingData(
      String datasetVersion,
      List<ClassBalance> classBalance,
      String classWeighting,
      String resampling) {}

  /**
   * Positives of one category in the training split.
   *
   * @param inScope training items whose labels are complete for the category
   * @param share positives / inScope
   */
  public record ClassBalance(String category, long positives, long inScope, Double share) {}

  /** Calibration per category: method, why, ECE before and after (test split). */
  public record CalibrationSummary(
      String fittedOn, String scoreSpace, List<CalibrationRow> categories) {}

  /** One category's calibration. */
  public record CalibrationRow(
      String category,
      String method,
      String reason,
      Map<String, Double> cvLogLoss,
      Double eceBefore,
      Double eceAfter) {}

  /**
   * A baseline on the same split (or, for a previous release that cannot be re-scored, the numbers
   * from its own card, {@code sameSplit = false}).
   */
  public record BaselineSummary(
      String name,
      String description,
      boolean sameSplit,
      String datasetVersion,
      List<BaselineRow> categories,
      Double microF1,
      Double backgroundBlockRate) {}

  /** One category of a baseline. */
  public record BaselineRow(
      String category,
      String status,
      Double precision,
      Double recall,
      Double f1,
      Double auprc,
      Double backgroundFlagRate) {}
}
