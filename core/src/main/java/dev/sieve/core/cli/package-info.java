/**
 * The extension point through which modules contribute {@code ./sieve} subcommands.
 *
 * <p>Lets offline modules add commands without the CLI depending on them at compile time.
 */
package dev.sieve.core.cli;
