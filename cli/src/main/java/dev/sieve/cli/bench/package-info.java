/**
 * {@code ./sieve bench}: closed- and open-loop gRPC load generation and the echo baseline.
 *
 * <p>Speed claims are ratios against a baseline measured in the same run, because the machines are
 * noisy.
 */
package dev.sieve.cli.bench;
