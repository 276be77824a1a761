/**
 * Plugs the served content scorer into the evaluation library (ScorerProvider).
 *
 * <p>Cards are computed through the serving code path, never a re-implementation.
 */
package dev.sieve.content.eval;
