package dev.sieve.eval;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Knobs of an evaluation run. Defaults are the standard's (docs/evaluation-standard.md); the policy
 * file may override them so that every tier is measured the same way.
 *
 * @param minPositives categories with fewer positives than this in the split are reported as
 *     "insufficient data" with no metric (a recall of 1.0 on 3 examples is not a number to act on)
 * @param bootstrapResamples bootstrap resamples for 95% intervals (0 disables intervals)
 * @param seed bootstrap seed: same seed, same intervals
 * @param confidence two-sided interval mass (0.95)
 * @param reliabilityBins equal-width bins of the reliability curve and ECE
 * @param topExamples how many top false positives / false negatives to list per category
 * @param blockingCategories categories whose positive decision blocks a student by default (used
 *     for block rates on background and protected slices)
 */
public record EvalOptions(
    int minPositives,
    int bootstrapResamples,
    long seed,
    double confidence,
    int reliabilityBins,
    int topExamples,
    Set<String> blockingCategories) {

  public static final int DEFAULT_MIN_POSITIVES = 30;
  public static final int DEFAULT_RESAMPLES = 1000;
  public static final long DEFAULT_SEED = 20_251_125L;

  public EvalOptions {
    if (minPositives < 1) {
      throw new IllegalArgumentException("minPositives must be >= 1");
    }
    if (bootstrapResamples < 0) {
      throw new IllegalArgumentException("bootstrapResamples must be >= 0");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1)");
    }
    if (reliabilityBins < 2) {
      throw new IllegalArgumentException("reliabilityBins must be >= 2");
    }
    blockingCategories = Collections.unmodifiableSortedSet(new TreeSet<>(blockingCategories));
  }

  public static EvalOptions defaults() {
    return new EvalOptions(
        DEFAULT_MIN_POSITIVES, DEFAULT_RESAMPLES, DEFAULT_SEED, 0.95, 10, 10, defaultBlocking());
  }

  public EvalOptions withBootstrap(int resamples, long newSeed) {
    return new EvalOptions(
        minPositives,
        resamples,
        newSeed,
        confidence,
        reliabilityBins,
        topExamples,
        blockingCategories);
  }

  public EvalOptions withMinPositives(int n) {
    return new EvalOptions(
        n, bootstrapResamples, seed, confidence, reliabilityBins, topExamples, blockingCategories);
  }

  /** Taxonomy categories whose positive decision raises the wellness alert by default. */
  public static Set<String> defaultAlerting() {
    Set<String> out = new TreeSet<>();
    for (Category c : Taxonomy.v1().categories()) {
      if (c.alerts()) {
        out.add(c.id());
      }
    }
    return out;
  }

  /** Taxonomy v1 categories whose default action blocks or alerts. */
  public static Set<String> defaultBlocking() {
    Set<String> out = new TreeSet<>();
    for (Category c : Taxonomy.v1().categories()) {
      if (c.defaultAction() != DefaultAction.ALLOW) {
        out.add(c.id());
      }
    }
    return out;
  }
}
