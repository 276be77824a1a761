/**
 * Metric primitives: confusion counts, Wilson intervals, bootstrap, reliability.
 *
 * <p>One metrics family for every card, so numbers are comparable across tiers.
 */
package dev.sieve.eval.metrics;
