package dev.sieve.llm.embedded;

import java.util.List;

/**
 * A frozen sentence encoder producing unit-length vectors, so a dot product is a cosine.
 *
 * <p>An interface so the zero-shot scorer, the offline evaluation and the benchmark share one
 * execution path (calibrations are only valid for the path they were fitted on).
 */
public interface SentenceEncoder {

  /** Identity of the encoder (model + library version); part of the tier's config hash. */
  String id();

  int dimension();

  /**
   * Embeds every text (in order).
   *
   * @return one unit vector per text
   */
  float[][] embed(List<String> texts);

  /** Largest number of words per text before the encoder silently truncates (see TextChunker). */
  int maxWordsPerText();
}
