/**
 * Rendering a request (URL, text) into the input a backend scores.
 *
 * <p>One renderer so the embedded and LLM backends see the same input.
 */
package dev.sieve.llm.input;
