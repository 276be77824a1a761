/**
 * Calibration and evaluation of the llm tier, and the fleet-vs-tiers comparison.
 *
 * <p>The llm tier earns a core category only when its card passes (docs/evaluation-standard.md
 * 9.1).
 */
package dev.sieve.llm.eval;
