/**
 * The {@code ./sieve} command: picocli entry point, version and the commands other modules
 * contribute.
 *
 * <p>Kept small: each command family lives in a subpackage, and offline commands come from their
 * own modules via ServiceLoader.
 */
package dev.sieve.cli;
