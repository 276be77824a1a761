/**
 * Live score distributions against the card's reference: PSI, Jensen-Shannon, decision rates, alert
 * rules.
 *
 * <p>Connects offline evaluation to production monitoring (docs/operations.md).
 */
package dev.sieve.eval.drift;
