/**
 * Evaluation of the url tier: card baselines, threshold choice, the ScorerProvider for the served
 * scorer.
 *
 * <p>Offline only; depends on url-service, never the other way.
 */
package dev.sieve.url.eval;
