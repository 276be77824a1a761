/**
 * The router's side of the learning loop (issue #14): {@code ReportVerdict} reports forwarded to
 * the annotation app's Feedback service (with a local spool so that none is lost silently), and
 * tenant-scoped host overrides streamed from it, applied after the shared verdict cache and expired
 * against the clock. The router knows the app only through {@code sieve/v1/feedback.proto}.
 */
package dev.sieve.router.feedback;
