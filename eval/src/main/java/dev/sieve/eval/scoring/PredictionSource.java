package dev.sieve.eval.scoring;

import dev.sieve.eval.Example;
import java.util.List;

/**
 * Where predictions come from: an in-process tier, a tier's gRPC Scorer, the router's Classifier,
 * or a predictions file. Whatever the source, the evaluation that follows is the same code.
 */
public interface PredictionSource extends AutoCloseable {

  /** One line for the card: how the predictions were obtained. */
  String describe();

  /** Scores every example in every category of {@code categories}. */
  Predictions score(List<Example> examples, List<String> categories);

  @Override
  default void close() {}
}
