/**
 * Rate-limited logging for per-request problems: the router's one throttled logger, used by the
 * tier clients (down/up, breaker, sheds), the engine (fail-closed decisions) and authentication.
 *
 * <p>A flood of bad requests or a tier outage must not become a flood of log lines.
 */
package dev.sieve.router.logging;
