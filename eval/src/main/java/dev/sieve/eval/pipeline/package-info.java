/**
 * The evaluation pipeline for one model and for the whole fleet.
 *
 * <p>Tune on dev, report test once: the pipeline enforces the order.
 */
package dev.sieve.eval.pipeline;
