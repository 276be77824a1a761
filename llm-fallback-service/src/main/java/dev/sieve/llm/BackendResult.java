package dev.sieve.llm;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ModelInfo;
import java.util.List;

/**
 * What a backend answered: one score per requested category (in the requested order) and the
 * lineage of the model that actually produced them (after a fallback, the fallback's).
 */
public record BackendResult(List<CategoryScore> scores, ModelInfo model) {

  public BackendResult {
    scores = List.copyOf(scores);
  }
}
