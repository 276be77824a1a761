package dev.sieve.eval.report;

import java.util.List;
import java.util.Optional;

/**
 * The full outcome of evaluating one model's scores on one split: the quantitative core of a model
 * card, serializable as JSON (evaluation.json) so that cards can be regenerated without re-scoring.
 *
 * @param split split id ("test" for cards)
 * @param examples items evaluated
 * @param backgroundExamples of which background items
 * @param minPositives the insufficient-data limit applied
 * @param bootstrapResamples resamples behind every interval
 * @param seed bootstrap seed
 * @param confidence interval mass (0.95)
 * @param categories category results in taxonomy order
 * @param micro micro averages
 * @param macro macro averages
 * @param overBlocking background block rates
 * @param confusion category-by-category confusion
 * @param slices per-slice tables
 * @param externalValidity flag rates on ordinary inputs per category, source and input kind (null
 *     in results written before it existed)
 */
public record EvaluationResult(
    String split,
    long examples,
    long backgroundExamples,
    int minPositives,
    int bootstrapResamples,
    long seed,
    double confidence,
    List<CategoryResult> categories,
    Averages micro,
    Averages macro,
    OverBlocking overBlocking,
    ConfusionMatrix confusion,
    List<SliceTable> slices,
    ExternalValidity externalValidity) {

  public Optional<CategoryResult> category(String id) {
    return categories.stream().filter(c -> c.category().equals(id)).findFirst();
  }
}
