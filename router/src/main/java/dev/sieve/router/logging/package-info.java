/**
 * Rate-limited logging for per-request problems.
 *
 * <p>A flood of bad requests must not become a flood of log lines.
 */
package dev.sieve.router.logging;
