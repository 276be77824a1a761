/**
 * The shadow disagreement report: decision flips and score deltas between the serving and the
 * candidate version.
 *
 * <p>What a new version would change for students, measured on live traffic before it serves any.
 */
package dev.sieve.eval.shadow;
