/**
 * Calibration: Platt, isotonic and identity, fitted on dev and checked on test.
 *
 * <p>Calibrated scores make thresholds and merges across tiers meaningful.
 */
package dev.sieve.eval.calibration;
