package dev.sieve.llm.openai;

/**
 * The assistant's message content and the tokens the endpoint says it used.
 *
 * @param totalTokens {@code usage.total_tokens}, or -1 when the endpoint did not report usage
 */
public record ChatReply(String content, long totalTokens) {}
