package dev.sieve.content;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.model.ContentHead;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.content.serve.ContentTierScorer;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.proto.v1.ScoreRequest;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the content tier runs, assembled and owned in one place: encoder, head, extractor and
 * the batching scorer. The service main, the benchmark and the tests build it the same way.
 */
public final class ContentTier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContentTier.class);

  /** Model directory name under {@code $SIEVE_HOME/models}. */
  public static final String MODEL_NAME = "content-minilm-mlp";

  /**
   * How to assemble the tier.
   *
   * @param modelVersionDir the model version directory (config.json + weights)
   * @param gpu prefer the GPU (head on CUDA when DJL finds it; encoder with ORT's CUDA provider)
   * @param encoderSessions ONNX Runtime sessions on CPU (0 = one per core)
   * @param batcher dynamic batching settings
   * @param limits extraction limits (chunk size is taken from the model)
   */
  public record Options(
      Path modelVersionDir,
      boolean gpu,
      int encoderSessions,
      BatcherConfig batcher,
      ExtractionLimits limits) {}

  private final OnnxSentenceEncoder encoder;
  private final ContentModel model;
  private final ContentTierScorer scorer;
  private final long loadMillis;

  private ContentTier(
      OnnxSentenceEncoder encoder, ContentModel model, ContentTierScorer scorer, long loadMillis) {
    this.encoder = encoder;
    this.model = model;
    this.scorer = scorer;
    this.loadMillis = loadMillis;
  }

  /** Loads encoder and head (verifying the artifact's SHA-256) and starts the batcher. */
  public static ContentTier open(Options options) {
    long start = System.nanoTime();
    HeadConfig config = HeadConfig.read(options.modelVersionDir().resolve(HeadConfig.FILE));
    EncoderVariant variant = variantOf(config.encoder());
    OnnxSentenceEncoder.Options encoderOptions;
    if (options.gpu()) {
      encoderOptions = OnnxSentenceEncoder.Options.gpuDefaults(variant);
    } else {
      OnnxSentenceEncoder.Options defaults = OnnxSentenceEncoder.Options.cpuDefaults(variant);
      int sessions =
          options.encoderSessions() > 0 ? options.encoderSessions() : defaults.sessions();
      encoderOptions = new OnnxSentenceEncoder.Options(variant, sessions, 1, 1, false);
    }
    OnnxSentenceEncoder encoder;
    try {
      encoder = OnnxSentenceEncoder.load(encoderOptions);
    } catch (IllegalStateException e) {
      if (!options.gpu()) {
        throw e;
      }
      log.warn("GPU encoder unavailable ({}); running the encoder on CPU", e.getMessage());
      encoder = OnnxSentenceEncoder.load(OnnxSentenceEncoder.Options.cpuDefaults(variant));
    }
    Device device = ContentHead.chooseDevice(options.gpu());
    if (options.gpu() && !device.isGpu()) {
      log.warn("SIEVE_DEVICE=gpu but DJL found no CUDA device; the head runs on CPU");
    }
    ContentModel model;
    try {
      model = ContentModel.load(options.modelVersionDir(), encoder, device);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    PageExtractor extractor =
        new PageExtractor(options.limits().withWordsPerChunk(config.wordsPerChunk()));
    ContentTierScorer scorer = new ContentTierScorer(model, extractor, options.batcher());
    long millis = (System.nanoTime() - start) / 1_000_000;
    log.info(
        "content model {}/{} loaded in {} ms (encoder {} on {}, head on {}); serving {}",
        config.name(),
        config.version(),
        millis,
        encoder.id(),
        encoder.device(),
        device,
        config.servedCategoryIds());
    return new ContentTier(encoder, model, scorer, millis);
  }

  static EncoderVariant variantOf(String encoderId) {
    return EncoderVariant.byEncoderId(encoderId)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "model was trained on unknown encoder '" + encoderId + "'"));
  }

  /**
   * Runs a few representative requests (plain text and HTML, one and several chunks) through the
   * whole path, batcher included, so the first real request does not pay for lazy initialization
   * (ORT graph optimization, libtorch kernels, JIT). Call before marking the service SERVING.
   */
  public void warmUp() throws ScoringException {
    long start = System.nanoTime();
    String paragraph =
        "Welcome to our site. Read the latest articles, browse the catalogue and contact us with "
            + "questions about products, opening hours or school visits. ";
    List<ScoreRequest> requests =
        List.of(
            ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8("warm-up text")).build(),
            ScoreRequest.newBuilder()
                .setHtml(
                    ByteString.copyFromUtf8(
                        "<html><head><title>Warm-up</title></head><body><h1>Hello</h1><p>"
                            + paragraph.repeat(12)
                            + "</p><a href='/a'>About us</a></body></html>"))
                .build());
    for (int round = 0; round < 3; round++) {
      for (ScoreRequest request : requests) {
        scorer.score(request);
      }
    }
    log.info("content tier warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  public ContentTierScorer scorer() {
    return scorer;
  }

  public ContentModel model() {
    return model;
  }

  public OnnxSentenceEncoder encoder() {
    return encoder;
  }

  public long loadMillis() {
    return loadMillis;
  }

  @Override
  public void close() {
    scorer.close();
    model.close();
    encoder.close();
  }
}
