/**
 * Loading dataset splits as evaluation examples, and the protected slices.
 *
 * <p>Slices (sources, languages, crisis-help) are defined once and reported in every card.
 */
package dev.sieve.eval.data;
