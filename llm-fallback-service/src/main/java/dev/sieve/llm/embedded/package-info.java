/**
 * The embedded zero-shot backend: sentence embeddings against category prototypes, calibrated.
 *
 * <p>Works offline with no external service; an LLM endpoint is optional.
 */
package dev.sieve.llm.embedded;
