package dev.sieve.eval.report;

import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.Reliability;
import java.util.List;

/**
 * Everything measured for one category on one split.
 *
 * @param category category id
 * @param status "measured", "insufficient_data" (fewer positives than the minimum: rates are
 *     omitted, not printed) or "not_scored" (the model has no opinion on this category)
 * @param note why, in words, when not "measured"
 * @param support positives in scope
 * @param negatives in-scope negatives
 * @param backgroundNegatives of which background (ordinary) items
 * @param scored in-scope items the model had an opinion on
 * @param threshold decision threshold used
 * @param tp true positives at the threshold
 * @param fp false positives
 * @param fn false negatives
 * @param tn true negatives
 * @param precision precision at the threshold (null when not measured)
 * @param recall recall at the threshold
 * @param f1 F1 at the threshold
 * @param auprc average precision (area under the precision-recall curve)
 * @param auroc area under the ROC curve
 * @param backgroundFlagRate share of background items flagged (measurable without positives)
 * @param ece expected calibration error of the served scores
 * @param eceUncalibrated ECE before calibration (null when no calibration was applied)
 * @param reliability reliability curve of the served scores
 * @param reliabilityUncalibrated reliability curve before calibration
 * @param prCurve precision-recall curve (thinned) of the served scores
 * @param scoreHistogram 20-bin histogram of this category's scores over all evaluated inputs: the
 *     drift reference
 * @param topFalsePositives highest-scoring in-scope negatives that were flagged (over-blocking)
 * @param topFalseNegatives lowest-scoring positives that were missed (under-blocking)
 */
public record CategoryResult(
    String category,
    String status,
    String note,
    long support,
    long negatives,
    long backgroundNegatives,
    long scored,
    Double threshold,
    long tp,
    long fp,
    long fn,
    long tn,
    Estimate precision,
    Estimate recall,
    Estimate f1,
    Estimate auprc,
    Estimate auroc,
    Estimate backgroundFlagRate,
    Double ece,
    Double eceUncalibrated,
    List<Reliability.Bin> reliability,
    List<Reliability.Bin> reliabilityUncalibrated,
    List<GroupCounts.CurvePoint> prCurve,
    long[] scoreHistogram,
    List<ErrorExample> topFalsePositives,
    List<ErrorExample> topFalseNegatives) {

  public static final String MEASURED = "measured";
  public static final String INSUFFICIENT = "insufficient_data";
  public static final String NOT_SCORED = "not_scored";

  public boolean measured() {
    return MEASURED.equals(status);
  }
}
