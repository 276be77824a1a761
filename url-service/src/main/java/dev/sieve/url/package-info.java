/**
 * url tier process: the gRPC Scorer for URLs.
 *
 * <p>Serving only; training and evaluation live in url-train, which depends on this module.
 */
package dev.sieve.url;
