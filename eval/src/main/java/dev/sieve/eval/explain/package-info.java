/**
 * Root-cause analysis of a disputed verdict: evidence, neighbours, proposed actions.
 *
 * <p>Turns a teacher's complaint into a concrete change to a list, a threshold or the data.
 */
package dev.sieve.eval.explain;
