/**
 * Promotion of a candidate tier version: shadow, canary, serving, and rollback, recorded with an
 * undo stack.
 *
 * <p>A version reaches students only after its gate passes and its shadow disagreement is
 * explained.
 */
package dev.sieve.eval.release;
