/**
 * OpenAI-compatible chat-completions backend: client, prompt and strict verdict parsing.
 *
 * <p>An LLM answer that does not parse is an error, never a guessed verdict.
 */
package dev.sieve.llm.openai;
