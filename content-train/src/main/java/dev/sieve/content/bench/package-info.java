/**
 * Benchmarks of the content tier (throughput, encoder comparison, overload).
 *
 * <p>Offline only: they need the trainer and datasets, which the serving jar must not carry.
 */
package dev.sieve.content.bench;
