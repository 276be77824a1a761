/**
 * Merging tier scores per category: the arithmetic of the merge rule only; when each step runs and
 * what a merged score decides is {@code dev.sieve.router.CategoryDecider}'s.
 *
 * <p>Tiers share one score scale (0.5 = the card's operating point), so the merge is simple and
 * explainable.
 */
package dev.sieve.router.merge;
