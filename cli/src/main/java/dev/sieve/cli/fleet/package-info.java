/**
 * {@code ./sieve up/down/status}: the fleet as separate processes on loopback, as in production.
 *
 * <p>Ports and state are recorded under .sieve/run so every other command finds the running fleet
 * the same way.
 */
package dev.sieve.cli.fleet;
