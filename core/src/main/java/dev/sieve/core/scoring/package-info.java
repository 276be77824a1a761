/**
 * The in-process tier contract, calibration and the common score scale.
 *
 * <p>A score of 0.5 means the card's operating point in every tier, so the router can merge them.
 */
package dev.sieve.core.scoring;
