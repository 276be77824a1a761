/**
 * The evaluation library's entry points: options, the evaluator, scores and slice analysis.
 *
 * <p>Every model and the fleet are judged by this one implementation of
 * docs/evaluation-standard.md.
 */
package dev.sieve.eval;
