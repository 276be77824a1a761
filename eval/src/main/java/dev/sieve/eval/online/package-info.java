/**
 * Offline vs online: served verdicts joined with later labels, weighted by how the labels were
 * drawn, against the card.
 *
 * <p>The card describes a test split; this says whether production still looks like it
 * (docs/operations.md).
 */
package dev.sieve.eval.online;
