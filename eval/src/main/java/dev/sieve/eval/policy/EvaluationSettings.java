package dev.sieve.eval.policy;

import dev.sieve.eval.EvalOptions;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code evaluation} section of the policy file: how every tier is measured.
 *
 * @param minPositives insufficient-data limit per category and split
 * @param bootstrapResamples resamples for intervals
 * @param seed bootstrap seed
 * @param confidence interval mass
 * @param reliabilityBins reliability-curve bins
 * @param topExamples top false positives/negatives listed per category
 * @param blockingCategories categories whose decision blocks (default: taxonomy BLOCK/ALERT)
 */
public record EvaluationSettings(
    Integer minPositives,
    Integer bootstrapResamples,
    Long seed,
    Double confidence,
    Integer reliabilityBins,
    Integer topExamples,
    List<String> blockingCategories) {

  public EvalOptions toOptions() {
    EvalOptions d = EvalOptions.defaults();
    return new EvalOptions(
        minPositives == null ? d.minPositives() : minPositives,
        bootstrapResamples == null ? d.bootstrapResamples() : bootstrapResamples,
        seed == null ? d.seed() : seed,
        confidence == null ? d.confidence() : confidence,
        reliabilityBins == null ? d.reliabilityBins() : reliabilityBins,
        topExamples == null ? d.topExamples() : topExamples,
        blockingCategories == null ? d.blockingCategories() : new TreeSet<>(blockingCategories));
  }
}
