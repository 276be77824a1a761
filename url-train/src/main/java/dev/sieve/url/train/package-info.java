/**
 * Training of the lexical URL model (FTRL logistic regression) from a dataset version.
 *
 * <p>Uses url-service's featurizer, so training and serving share one code path.
 */
package dev.sieve.url.train;
