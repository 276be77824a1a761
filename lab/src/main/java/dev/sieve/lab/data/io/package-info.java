/**
 * Build I/O: raw file access, gzip JSONL writing, build reports and progress.
 *
 * <p>Every bad input line is counted in the build report, never silently dropped.
 */
package dev.sieve.lab.data.io;
