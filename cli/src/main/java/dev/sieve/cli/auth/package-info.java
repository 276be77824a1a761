/**
 * {@code ./sieve auth}: tenant API keys and the hashes the router's client-auth file holds.
 *
 * <p>Only the hash leaves this command, so a leaked config never leaks a key.
 */
package dev.sieve.cli.auth;
