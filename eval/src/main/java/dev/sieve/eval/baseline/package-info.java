/**
 * Baselines every card compares against: exact lists and weighted phrase lists.
 *
 * <p>A model that does not beat a keyword list is not worth serving.
 */
package dev.sieve.eval.baseline;
