/**
 * {@code ./sieve classify-batch}: JSONL or URL lists through the real gRPC path, with adaptive
 * in-flight limits.
 *
 * <p>Its output format is a published contract (external evaluations read it), so it is written in
 * one place: BatchResults.
 */
package dev.sieve.cli.batch;
