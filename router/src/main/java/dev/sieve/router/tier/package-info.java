/**
 * Tier clients: deadlines, circuit breakers, bulkheads, coverage of categories by tier, read once
 * per request as a {@code FleetCoverage} snapshot; each {@code TierOutcome} carries its model.
 *
 * <p>A slow or failed tier degrades the verdict (and says so); it never takes the router down.
 */
package dev.sieve.router.tier;
