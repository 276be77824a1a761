/**
 * Content tier process: the gRPC Scorer for pages and text.
 *
 * <p>Serving only; training and evaluation live in content-train, which depends on this module.
 */
package dev.sieve.content;
