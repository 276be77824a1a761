/**
 * The public Classifier: request validation, fan-out to tiers, merge, policy, verdict assembly.
 *
 * <p>The router knows tiers only through the proto, so a tier can be replaced without touching it.
 */
package dev.sieve.router;
