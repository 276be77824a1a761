/**
 * Training of the content head: embedding caches, label matrices, n-gram baselines,
 * leave-one-source-out.
 *
 * <p>Uses content-service featurizers directly, so there is one featurizer for training and
 * serving.
 */
package dev.sieve.content.train;
