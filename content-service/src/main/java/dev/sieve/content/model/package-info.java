/**
 * The content model: the DJL/PyTorch head, n-gram model, calibration and their on-disk format.
 *
 * <p>Loaded by serving and written by training, so the format has one definition.
 */
package dev.sieve.content.model;
