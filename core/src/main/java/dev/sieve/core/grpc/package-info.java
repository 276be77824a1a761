/**
 * gRPC server lifecycle (health, reflection, graceful drain), request guards and retry rules.
 *
 * <p>Every process starts and stops the same way, and malformed wire input becomes
 * INVALID_ARGUMENT, never INTERNAL.
 */
package dev.sieve.core.grpc;
