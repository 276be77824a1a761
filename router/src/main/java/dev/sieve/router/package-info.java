/**
 * The public Classifier: request validation, fan-out to tiers ({@code ClassificationEngine}), and
 * the decision path of every category in one class ({@code CategoryDecider}): merge, band, gaps,
 * second opinion, tier loss, decision, action, alert, primary category.
 *
 * <p>The router knows tiers only through the proto, so a tier can be replaced without touching it.
 */
package dev.sieve.router;
