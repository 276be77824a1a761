/**
 * The label-noise review queue and the overlays that record human corrections.
 *
 * <p>Humans change labels only through overlays, so every correction is attributable and
 * reversible.
 */
package dev.sieve.lab.data.review;
