/**
 * Adaptive concurrency limits (Netflix concurrency-limits) as gRPC interceptors.
 *
 * <p>Overload is shed early with a clear status instead of queueing until every caller times out.
 */
package dev.sieve.core.limit;
