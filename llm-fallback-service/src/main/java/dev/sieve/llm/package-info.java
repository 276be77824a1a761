/**
 * llm tier process: zero-shot and OpenAI-compatible scoring for uncertain cases and emerging
 * categories.
 *
 * <p>Serving only; its evaluation lives in llm-eval, which depends on this module.
 */
package dev.sieve.llm;
