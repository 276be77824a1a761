/**
 * Threshold selection on dev (target precision/recall, background false-positive ceilings).
 *
 * <p>The single threshold selector every tier uses.
 */
package dev.sieve.eval.threshold;
