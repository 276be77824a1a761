/**
 * {@code ./sieve classify}: one verdict as a table or JSON.
 *
 * <p>The first thing a newcomer runs, so the table explains the verdict in words.
 */
package dev.sieve.cli.classify;
