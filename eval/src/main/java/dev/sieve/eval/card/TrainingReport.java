package dev.sieve.eval.card;

/**
 * The file names of a tier trainer's own report, written next to the model by each tier's {@code
 * TrainingReportWriter} (url-train, content-train, llm-eval).
 *
 * <p>Why a shared name: the training report is the builder's dev-side view (alternatives compared
 * on dev, the trainer's thresholds and calibration, its baselines); the release-gating {@link
 * ModelCard} is this module's. Every tier writes its report under the same two names and from a
 * class of the same name, so a reader finds the one beside the other in any model directory.
 */
public final class TrainingReport {

  /** Machine-readable report: every number in the Markdown comes from it. */
  public static final String JSON = "training-report.json";

  /** The readable report, rendered from the JSON's values. */
  public static final String MARKDOWN = "training-report.md";

  private TrainingReport() {}
}
