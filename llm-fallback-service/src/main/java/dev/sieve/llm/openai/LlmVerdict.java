package dev.sieve.llm.openai;

import java.util.Map;

/** A validated reply: one probability per asked category and the model's short rationale. */
public record LlmVerdict(Map<String, Double> scores, String rationale) {

  public LlmVerdict {
    scores = Map.copyOf(scores);
  }
}
