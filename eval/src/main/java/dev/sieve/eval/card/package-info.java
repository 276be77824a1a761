/**
 * Model, fleet and drift cards as Markdown, HTML and JSON.
 *
 * <p>Cards are generated, never hand-edited, so every number can be traced to a run.
 */
package dev.sieve.eval.card;
