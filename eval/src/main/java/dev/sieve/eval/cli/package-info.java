/**
 * {@code ./sieve eval}, {@code release} and {@code explain} commands.
 *
 * <p>Thin wrappers: the logic lives in the packages they call, so tests do not need the CLI.
 */
package dev.sieve.eval.cli;
