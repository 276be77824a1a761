/**
 * Merging tier scores per category.
 *
 * <p>Tiers share one score scale (0.5 = the card's operating point), so the merge is simple and
 * explainable.
 */
package dev.sieve.router.merge;
