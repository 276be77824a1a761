/**
 * Shadow and canary versions of a tier beside the serving one: sampling, bounded comparison,
 * disagreement log.
 *
 * <p>The shadow never adds latency to the served answer: comparisons run after it, bounded, dropped
 * under load.
 */
package dev.sieve.router.candidate;
