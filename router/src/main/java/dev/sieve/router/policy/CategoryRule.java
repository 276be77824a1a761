package dev.sieve.router.policy;

import dev.sieve.proto.v1.CategoryAction;

/**
 * How one tenant treats one category, fully resolved through the tenant chain.
 *
 * @param threshold a merged score at or above this decides the category positive
 * @param action what a positive decision does (ALLOW observes, BLOCK blocks, ALERT raises the alert)
 * @param bandLow lower end (inclusive) of the uncertainty band in which the llm tier is consulted
 * @param bandHigh upper end (inclusive) of the band; a band with {@code bandLow > bandHigh} is empty
 *     (the llm tier is never consulted for this category)
 * @param failClosed decide the category positive when no tier had an opinion because a tier that
 *     covers it was unavailable
 */
public record CategoryRule(
    double threshold, CategoryAction action, double bandLow, double bandHigh, boolean failClosed) {

  /** True when {@code score} lies in the uncertainty band. */
  public boolean inBand(double score) {
    return score >= bandLow && score <= bandHigh;
  }

  /** True when a positive decision blocks under {@code blockOnAlert}. */
  public boolean blocks(boolean blockOnAlert) {
    return action == CategoryAction.ACTION_BLOCK
        || (action == CategoryAction.ACTION_ALERT && blockOnAlert);
  }
}
