/**
 * Sources of predictions: a tier scorer in-process, over gRPC, or the router, plus prediction
 * files.
 *
 * <p>The same evaluation runs against a model file or a live fleet.
 */
package dev.sieve.eval.scoring;
