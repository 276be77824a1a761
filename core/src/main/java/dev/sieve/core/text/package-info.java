/**
 * Text layouts that every report writer shares: the Markdown table of cards, data cards, training
 * reports and benchmarks.
 *
 * <p>In core so that every module that writes a report (eval, lab, the trainers, the benches)
 * reaches the same writer; it has no dependencies and nothing here serves a request.
 */
package dev.sieve.core.text;
