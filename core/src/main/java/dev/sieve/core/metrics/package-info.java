/**
 * Binary metrics and fixed score bins shared by evaluation cards and live drift monitoring.
 *
 * <p>The same edges offline and online, so drift compares like with like.
 */
package dev.sieve.core.metrics;
