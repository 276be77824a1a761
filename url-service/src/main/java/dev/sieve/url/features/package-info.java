/**
 * The URL featurizer: tokens, word segmentation, hashed n-grams.
 *
 * <p>Shared by training and serving, so there is one featurizer and no skew.
 */
package dev.sieve.url.features;
