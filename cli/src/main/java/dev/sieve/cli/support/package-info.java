/**
 * Shared plumbing of the CLI: channels, TLS material, gRPC error text, host:port parsing.
 *
 * <p>One home so every command talks to the fleet the same way.
 */
package dev.sieve.cli.support;
