/**
 * The release gate: a model ships only when its card passes the policy.
 *
 * <p>Known failures are listed explicitly, never silently waived.
 */
package dev.sieve.eval.gate;
