/**
 * Benchmark of the embedded zero-shot backend.
 *
 * <p>Offline only; the serving jar must not carry it.
 */
package dev.sieve.llm.bench;
