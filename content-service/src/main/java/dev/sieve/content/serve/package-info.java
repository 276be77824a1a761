/**
 * The serving path: content sniffing, dynamic batching in front of the model, the tier scorer.
 *
 * <p>Bounded queues fail fast (RESOURCE_EXHAUSTED) instead of letting latency grow without limit.
 */
package dev.sieve.content.serve;
