/**
 * The known-domain table: exact and parent-domain list matches.
 *
 * <p>Lists answer in microseconds and name their source as evidence.
 */
package dev.sieve.url.table;
