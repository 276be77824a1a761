/**
 * The lexical URL model and its on-disk artifacts.
 *
 * <p>Written by training, loaded by serving: one format definition.
 */
package dev.sieve.url.model;
