/**
 * Evaluation results: per-category estimates, confusion, errors, external validity, LOSO.
 *
 * <p>The data behind a card, kept apart from its rendering.
 */
package dev.sieve.eval.report;
