/**
 * Data cards: sizes, sources, label balance and licenses of a dataset version.
 *
 * <p>Every dataset version ships with its card, generated with it.
 */
package dev.sieve.lab.data.card;
