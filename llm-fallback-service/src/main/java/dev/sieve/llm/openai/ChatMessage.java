package dev.sieve.llm.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One message of a chat-completions conversation ("system", "user" or "assistant"). */
public record ChatMessage(
    @JsonProperty("role") String role, @JsonProperty("content") String content) {

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
