/**
 * The ICAP (RFC 3507) adapter: REQMOD/RESPMOD for Squid and ICAP appliances, via the router's
 * Classify.
 *
 * <p>A client of the public API with no tier inside; protocol code kept small, fuzzed and
 * documented.
 */
package dev.sieve.icap;
