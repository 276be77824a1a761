/**
 * Domain-list sources: cleaning hosts and building the labelled domain dataset.
 *
 * <p>Feeds the url tier's known-domain table and lexical model.
 */
package dev.sieve.lab.data.domains;
