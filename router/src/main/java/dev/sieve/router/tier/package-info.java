/**
 * Tier clients: deadlines, circuit breakers, bulkheads, coverage of categories by tier.
 *
 * <p>A slow or failed tier degrades the verdict (and says so); it never takes the router down.
 */
package dev.sieve.router.tier;
