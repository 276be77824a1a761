/**
 * Active learning by simulation (issue #14): does asking for labels where the lexical baseline is
 * unsure beat a random sample on Sieve's own texts, at equal label budgets? {@code ./sieve
 * active-learning} writes the learning curves into docs/annotation.md.
 *
 * <p>Offline code: lives beside the trainer whose featurizer and objective it reuses, never in the
 * serving module.
 */
package dev.sieve.content.train.active;
