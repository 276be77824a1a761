package dev.sieve.content.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence encoder from langchain4j's jars (all-MiniLM-L6-v2 or bge-small-en-v1.5, {@link
 * EncoderVariant}) run by ONNX Runtime directly, with a pool of sessions.
 *
 * <p>Why not langchain4j's {@code embed()}: it runs every text through one session whose intra-op
 * pool already uses every core, so concurrent calls fight for the same cores. Measured on this
 * project's 2-core machines, N single-threaded sessions (N = cores) at micro-batch 1-2 are ~1.6x
 * faster. The numerics are the same as langchain4j's: the same ONNX graph and tokenizer (truncation
 * at the variant's window: 128 word pieces for MiniLM, 512 for BGE), the variant's pooling (mean
 * for MiniLM, [CLS] for BGE), L2 normalization ({@code OnnxSentenceEncoderTest} checks cosine &gt;
 * 0.999 against langchain4j's class).
 *
 * <p>Micro-batch 1 (the CPU default) means no padding, so a text's vector never depends on which
 * texts shared its batch: the int8 model is dynamically quantized per tensor, and padding
 * neighbours shift its embeddings (cosine 0.97-0.995), which would make scores depend on load. On a
 * GPU the micro-batch is large (padding with the fp32 model changes vectors only at float rounding
 * level).
 */
public final class OnnxSentenceEncoder implements ChunkEncoder {

  private static final Logger log = LoggerFactory.getLogger(OnnxSentenceEncoder.class);

  private static final int DIMENSION = 384;

  /**
   * How to run the encoder.
   *
   * @param variant which weights
   * @param sessions ONNX Runtime sessions (parallel inferences); CPU default = available cores
   * @param threadsPerSession intra-op threads per session; CPU default 1
   * @param microBatch texts per inference call; 1 on CPU (no padding), larger on GPU
   * @param cuda use the CUDA execution provider (needs onnxruntime_gpu on the classpath)
   */
  public record Options(
      EncoderVariant variant, int sessions, int threadsPerSession, int microBatch, boolean cuda) {

    public Options {
      if (sessions < 1 || threadsPerSession < 1 || microBatch < 1) {
        throw new IllegalArgumentException("sessions, threads and micro-batch must be >= 1");
      }
    }

    public static Options cpuDefaults(EncoderVariant variant) {
      return new Options(
          variant, Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 1, false);
    }

    public static Options gpuDefaults(EncoderVariant variant) {
      return new Options(variant, 1, 1, 64, true);
    }
  }

  private final Options options;
  private final OrtEnvironment environment;
  private final List<OrtSession> sessions = new ArrayList<>();
  private final BlockingQueue<OrtSession> idleSessions;
  private final ExecutorService workers;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean needsTokenTypeIds;
  private final String device;
  private final AtomicLong textsEncoded = new AtomicLong();
  private final AtomicLong textsTruncated = new AtomicLong();

  private OnnxSentenceEncoder(Options options) throws OrtException, IOException {
    this.options = options;
    this.environment = OrtEnvironment.getEnvironment();
    byte[] model = readResource(options.variant().onnxResource(), options.variant().artifact());
    String deviceName = "cpu";
    for (int i = 0; i < options.sessions(); i++) {
      OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
      sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      sessionOptions.setIntraOpNumThreads(options.threadsPerSession());
      sessionOptions.setInterOpNumThreads(1);
      // Idle sessions must not spin on the cores the other sessions and the gRPC threads need.
      sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (options.cuda()) {
        try {
          sessionOptions.addCUDA(0);
          deviceName = "cuda:0";
        } catch (OrtException | RuntimeException e) {
          throw new IllegalStateException(
              "CUDA execution provider unavailable for the encoder (add "
                  + "com.microsoft.onnxruntime:onnxruntime_gpu instead of onnxruntime): "
                  + e.getMessage(),
              e);
        }
      }
      sessions.add(environment.createSession(model, sessionOptions));
    }
    this.device = deviceName;
    this.idleSessions = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
    this.needsTokenTypeIds = sessions.get(0).getInputNames().contains("token_type_ids");
    try (InputStream in =
        resource(options.variant().tokenizerResource(), options.variant().artifact())) {
      // Same options as langchain4j: no padding; truncation at the model's window (MiniLM's
      // tokenizer.json sets 128 itself, BGE's sets none).
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              in,
              Map.of(
                  "padding",
                  "false",
                  "truncation",
                  "true",
                  "maxLength",
                  String.valueOf(options.variant().maxTokens())));
    }
    AtomicInteger threadNo = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            sessions.size(),
            r -> {
              Thread t = new Thread(r, "encoder-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Loads the model from the classpath; about 0.3-1 s per session on 2 cores. */
  public static OnnxSentenceEncoder load(Options options) {
    long start = System.nanoTime();
    try {
      OnnxSentenceEncoder encoder = new OnnxSentenceEncoder(options);
      log.info(
          "encoder {} loaded: {} session(s) x {} thread(s), micro-batch {}, device {}, {} ms",
          options.variant().encoderId(),
          options.sessions(),
          options.threadsPerSession(),
          options.microBatch(),
          encoder.device,
          (System.nanoTime() - start) / 1_000_000);
      return encoder;
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load encoder " + options.variant().modelName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return options.variant().encoderId();
  }

  @Override
  public int wordsPerChunk() {
    return options.variant().wordsPerChunk();
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public String device() {
    return device;
  }

  public Options options() {
    return options;
  }

  /** Texts encoded since start, and how many of them were cut at the variant's token window. */
  public long textsEncoded() {
    return textsEncoded.get();
  }

  public long textsTruncated() {
    return textsTruncated.get();
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    if (texts.isEmpty()) {
      return out;
    }
    int micro = options.microBatch();
    if (texts.size() <= micro || sessions.size() == 1) {
      for (int from = 0; from < texts.size(); from += micro) {
        int to = Math.min(texts.size(), from + micro);
        runOnIdleSession(texts, from, to, out);
      }
      return out;
    }
    List<Future<?>> pending = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += micro) {
      int start = from;
      int end = Math.min(texts.size(), from + micro);
      pending.add(workers.submit(() -> runOnIdleSession(texts, start, end, out)));
    }
    for (Future<?> future : pending) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pending.forEach(f -> f.cancel(true));
        throw new IllegalStateException("interrupted while encoding", e);
      } catch (ExecutionException e) {
        pending.forEach(f -> f.cancel(true));
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException("encoding failed", cause);
      }
    }
    return out;
  }

  private void runOnIdleSession(List<String> texts, int from, int to, float[][] out) {
    OrtSession session;
    try {
      session = idleSessions.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an encoder session", e);
    }
    try {
      encodeBatch(session, texts.subList(from, to), out, from);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      idleSessions.add(session);
    }
  }

  private void encodeBatch(OrtSession session, List<String> texts, float[][] out, int offset)
      throws OrtException {
    Encoding[] encodings = tokenizer.batchEncode(texts, true, false);
    int batch = encodings.length;
    int length = 0;
    for (Encoding encoding : encodings) {
      length = Math.max(length, encoding.getIds().length);
      if (encoding.getIds().length >= options.variant().maxTokens()) {
        textsTruncated.incrementAndGet();
      }
    }
    textsEncoded.addAndGet(batch);
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] types = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      long[] tokenIds = encodings[b].getIds();
      long[] tokenMask = encodings[b].getAttentionMask();
      System.arraycopy(tokenIds, 0, ids, b * length, tokenIds.length);
      System.arraycopy(tokenMask, 0, mask, b * length, tokenMask.length);
    }
    long[] shape = {batch, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
      inputs.put("input_ids", idTensor);
      inputs.put("attention_mask", maskTensor);
      if (needsTokenTypeIds) {
        inputs.put("token_type_ids", typeTensor);
      }
      try (OrtSession.Result result =
          session.run(inputs, Set.of(session.getOutputNames().iterator().next()))) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        boolean cls = options.variant().pooling() == EncoderVariant.Pooling.CLS;
        for (int b = 0; b < batch; b++) {
          out[offset + b] =
              cls ? clsNormalized(hidden, b, length) : meanPoolNormalized(hidden, mask, b, length);
        }
      }
    }
  }

  /** The first ([CLS]) token's vector, L2-normalized (BGE's pooling). */
  private static float[] clsNormalized(FloatBuffer hidden, int b, int length) {
    float[] v = new float[DIMENSION];
    int base = b * length * DIMENSION;
    double norm = 0;
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = hidden.get(base + d);
      norm += (double) v[d] * v[d];
    }
    float inverse = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
    for (int d = 0; d < DIMENSION; d++) {
      v[d] *= inverse;
    }
    return v;
  }

  /** Mean of the token vectors under the attention mask, then L2 normalization. */
  private static float[] meanPoolNormalized(FloatBuffer hidden, long[] mask, int b, int length) {
    float[] sum = new float[DIMENSION];
    int tokens = 0;
    for (int t = 0; t < length; t++) {
      if (mask[b * length + t] == 0) {
        continue;
      }
      tokens++;
      int base = (b * length + t) * DIMENSION;
      for (int d = 0; d < DIMENSION; d++) {
        sum[d] += hidden.get(base + d);
      }
    }
    double norm = 0;
    for (int d = 0; d < DIMENSION; d++) {
      sum[d] /= Math.max(tokens, 1);
      norm += (double) sum[d] * sum[d];
    }
    float inverse = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
    for (int d = 0; d < DIMENSION; d++) {
      sum[d] *= inverse;
    }
    return sum;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        log.warn("closing an encoder session failed: {}", e.getMessage());
      }
    }
    tokenizer.close();
  }

  private static byte[] readResource(String name, String artifact) throws IOException {
    try (InputStream in = resource(name, artifact)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name, String artifact) {
    InputStream in = OnnxSentenceEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          "encoder resource " + name + " not on the classpath: add " + artifact);
    }
    return in;
  }
}
