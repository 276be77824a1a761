/**
 * The verdict cache (Caffeine) and its key.
 *
 * <p>Degraded verdicts are never cached, so an outage does not outlive itself.
 */
package dev.sieve.router.cache;
