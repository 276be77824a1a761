/**
 * {@code ./sieve data} commands.
 *
 * <p>Thin wrappers over the pipeline classes.
 */
package dev.sieve.lab.data.cli;
