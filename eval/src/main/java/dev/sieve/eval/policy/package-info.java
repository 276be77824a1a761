/**
 * The evaluation and gate policy (release-gate.yaml) as types.
 *
 * <p>What counts as good enough is configuration reviewed like code.
 */
package dev.sieve.eval.policy;
