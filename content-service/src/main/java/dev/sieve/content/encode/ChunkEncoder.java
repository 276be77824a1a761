package dev.sieve.content.encode;

import dev.sieve.content.extract.ExtractionLimits;
import java.util.List;

/**
 * A frozen sentence encoder: text chunks in, one L2-normalized vector per chunk out.
 *
 * <p>An interface because the encoder is the part that changes with the device: the int8 MiniLM on
 * CPU (the default here), the fp32 MiniLM on a GPU, or a fake in unit tests. A head is trained for
 * one encoder: {@link #id()} is recorded in the head's configuration and a mismatch at load time is
 * refused, because a head fed another encoder's vectors returns confident nonsense.
 *
 * <p>Implementations must be thread-safe and must return the same vector for the same text
 * regardless of which other texts share the call (so scores do not depend on batch neighbours).
 */
public interface ChunkEncoder extends AutoCloseable {

  /** Stable identity of the weights and pooling, e.g. "all-minilm-l6-v2-q/mean/128". */
  String id();

  /** Vector size (384 for MiniLM-L6). */
  int dimension();

  /** Where inference runs, for lineage and logs ("cpu", "cuda:0"). */
  String device();

  /**
   * Words per chunk that fit this encoder's token window (the chunker cuts pages to it; training
   * and serving take it from here and from the head's configuration, so they always agree).
   */
  default int wordsPerChunk() {
    return ExtractionLimits.DEFAULT_WORDS_PER_CHUNK;
  }

  /** Embeds each text; result[i] belongs to texts.get(i). */
  float[][] embed(List<String> texts);

  @Override
  void close();
}
