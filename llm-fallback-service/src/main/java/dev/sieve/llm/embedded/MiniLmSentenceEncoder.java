package dev.sieve.llm.embedded;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The quantized all-MiniLM-L6-v2 sentence encoder (384-d), run in-process by ONNX Runtime through
 * langchain4j; the only pretrained text encoder available offline here, used frozen.
 *
 * <p>Facts that shape its callers: it truncates every input at 128 word pieces (about 100 English
 * words) without saying so, hence {@link TextChunker}; {@code embedAll} runs the texts of one call
 * in parallel on the given executor (one ONNX run per text, no padding), which is how a multi-chunk
 * page is embedded in one call. It unpacks native libraries into {@code DJL_CACHE_DIR} (or {@code
 * ~/.djl.ai}) and {@code java.io.tmpdir}; both must be writable.
 */
public final class MiniLmSentenceEncoder implements SentenceEncoder {

  /** 80 words keeps typical English text (about 1.3 word pieces per word) under 128 pieces. */
  public static final int MAX_WORDS = 80;

  public static final String ID = "all-minilm-l6-v2-q/langchain4j-1.19.0-beta29";

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  /** Uses langchain4j's default executor (one thread per core). */
  public MiniLmSentenceEncoder() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  public MiniLmSentenceEncoder(Executor executor) {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int dimension() {
    return 384;
  }

  @Override
  public int maxWordsPerText() {
    return MAX_WORDS;
  }

  @Override
  public float[][] embed(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      // langchain4j rejects blank segments; a blank chunk carries no signal anyway.
      segments.add(TextSegment.from(text.isBlank() ? "." : text));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    float[][] out = new float[embeddings.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Vectors.normalized(embeddings.get(i).vector());
    }
    return out;
  }
}
