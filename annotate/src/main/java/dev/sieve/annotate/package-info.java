/**
 * The annotation app (issue #14, docs/annotation.md), its own process: the web pages where people
 * label, adjudicate and set overrides; the queues and their sampling rules; agreement figures; the
 * overlay export into the data pipeline; and the {@code sieve.v1.Feedback} gRPC service through
 * which the router sends schools' reports and receives the active overrides.
 *
 * <p>An application, not a serving tier: it may use offline code (lab's Fleiss' kappa and overlay
 * format) and is never on the classification path; the router knows it only through the proto.
 */
package dev.sieve.annotate;
