/**
 * Dataset records and versions shared by the data pipeline, training and evaluation.
 *
 * <p>A dataset version id is content-addressed, so every model can name exactly what it learned
 * from.
 */
package dev.sieve.core.data;
