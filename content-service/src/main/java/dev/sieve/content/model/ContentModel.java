package dev.sieve.content.model;

import ai.djl.Device;
import dev.sieve.content.encode.ChunkEncoder;
import dev.sieve.content.extract.Chunk;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoder + head + configuration: chunks of pages in, calibrated per-category scores out, for the
 * page and for each chunk (the evidence).
 *
 * <p>Serving, offline evaluation and the benchmark all go through {@link #score(List)} (or {@link
 * #scoreEmbeddings(List, List)} when embeddings are cached), so the numbers in the model card come
 * from the code that serves. When the configuration fuses an n-gram model ({@link NgramModel}),
 * each category's logit is {@code (1 - w) * head + w * ngram} before calibration, for the page
 * (over its joined chunk texts) and for every chunk.
 *
 * <p>Chunk scores: each chunk is also run through the head alone (pooled over itself, so mean = max
 * = its embedding). That is the head's view of the chunk in isolation, a faithful "which paragraph
 * would have triggered this" signal, not an exact attribution of the page score.
 */
public final class ContentModel implements AutoCloseable {

  /**
   * Scores of one page. Arrays are indexed by head output (see {@link HeadConfig#categoryIds()}).
   */
  public record PageScores(double[] logits, double[] calibrated, double[][] chunkCalibrated) {}

  /** Scores of a batch plus where the time went. */
  public record BatchResult(
      List<PageScores> pages, long encoderNanos, long headNanos, int chunks) {}

  private final Path directory;
  private final HeadConfig config;
  private final String configSha256;
  private final ChunkEncoder encoder;
  private final ContentHead head;
  private static final Logger log = LoggerFactory.getLogger(ContentModel.class);

  private final PlattCalibration[] calibrations;
  private final double[] ngramWeights;
  private final NgramModel ngram;
  private final double[] thresholds;
  private final Optional<ServedThresholds> servedThresholds;

  /**
   * @param servedThresholds the evaluation standard's thresholds ({@code thresholds.json}); when
   *     empty the trainer's thresholds in config.json apply
   */
  public ContentModel(
      Path directory,
      HeadConfig config,
      String configSha256,
      ChunkEncoder encoder,
      ContentHead head,
      Optional<ServedThresholds> servedThresholds) {
    this(directory, config, configSha256, encoder, head, servedThresholds, null);
  }

  /**
   * @param ngram the n-gram model fused with the head (null when the configuration has none)
   */
  public ContentModel(
      Path directory,
      HeadConfig config,
      String configSha256,
      ChunkEncoder encoder,
      ContentHead head,
      Optional<ServedThresholds> servedThresholds,
      NgramModel ngram) {
    if (encoder != null && !encoder.id().equals(config.encoder())) {
      throw new IllegalStateException(
          "model "
              + config.name()
              + "/"
              + config.version()
              + " was trained on encoder '"
              + config.encoder()
              + "' but the service loaded '"
              + encoder.id()
              + "': train a head for this encoder or change SIEVE_CONTENT_ENCODER");
    }
    this.directory = directory;
    this.config = config;
    this.configSha256 = configSha256;
    this.encoder = encoder;
    this.head = head;
    this.calibrations =
        config.categories().stream()
            .map(CategoryConfig::calibration)
            .toArray(PlattCalibration[]::new);
    this.ngramWeights =
        config.categories().stream().mapToDouble(CategoryConfig::ngramWeight).toArray();
    boolean fused = Arrays.stream(ngramWeights).anyMatch(w -> w != 0);
    if (fused && ngram == null) {
      throw new IllegalStateException(
          "model "
              + config.name()
              + "/"
              + config.version()
              + " fuses an n-gram model but none was loaded ("
              + config.ngramFile()
              + ")");
    }
    if (ngram != null && ngram.outputs() != config.categories().size()) {
      throw new IllegalStateException(
          "n-gram model has "
              + ngram.outputs()
              + " outputs, the head "
              + config.categories().size());
    }
    this.ngram = ngram;
    this.servedThresholds = servedThresholds;
    this.thresholds =
        config.categories().stream()
            .mapToDouble(
                c ->
                    servedThresholds
                        .map(t -> t.thresholdOr(c.category(), c.threshold()))
                        .orElse(c.threshold()))
            .toArray();
  }

  /**
   * Decision threshold of head output {@code output} on the calibrated score: the one the standard
   * model card measured (thresholds.json), else the trainer's.
   */
  public double threshold(int output) {
    return thresholds[output];
  }

  /**
   * The evaluation standard's thresholds, when the model has been through {@code ./sieve eval run}.
   */
  public Optional<ServedThresholds> servedThresholds() {
    return servedThresholds;
  }

  /**
   * Loads a model version directory ({@code config.json} + weights), verifying that the weights are
   * the ones the configuration (and so the model card) describes.
   */
  public static ContentModel load(Path versionDirectory, ChunkEncoder encoder, Device device) {
    Path configFile = versionDirectory.resolve(HeadConfig.FILE);
    HeadConfig config = HeadConfig.read(configFile);
    Path weights = versionDirectory.resolve(config.artifactFile());
    if (!Files.isRegularFile(weights)) {
      throw new IllegalStateException("model weights missing: " + weights);
    }
    String actual = Sha256.ofFile(weights);
    if (!actual.equals(config.artifactSha256())) {
      throw new IllegalStateException(
          "weights "
              + weights
              + " have SHA-256 "
              + actual
              + " but "
              + configFile
              + " expects "
              + config.artifactSha256()
              + ": refusing to serve an artifact its card does not describe");
    }
    Optional<ServedThresholds> served = ServedThresholds.load(versionDirectory);
    if (served.isEmpty()) {
      log.warn(
          "{} has no {}: serving the trainer's thresholds from config.json, which no standard model"
              + " card has measured (run ./sieve eval run --tier content --model-dir {})",
          versionDirectory,
          ServedThresholds.FILE,
          versionDirectory);
    }
    NgramModel ngram = null;
    if (config.ngramFile() != null) {
      Path ngramFile = versionDirectory.resolve(config.ngramFile());
      String ngramSha = Files.isRegularFile(ngramFile) ? Sha256.ofFile(ngramFile) : "(missing)";
      if (!ngramSha.equals(config.ngramSha256())) {
        throw new IllegalStateException(
            "n-gram model "
                + ngramFile
                + " has SHA-256 "
                + ngramSha
                + " but "
                + configFile
                + " expects "
                + config.ngramSha256()
                + ": refusing to serve an artifact its card does"
                + " not describe");
      }
      ngram = NgramModel.read(ngramFile);
    }
    ContentHead head = ContentHead.load(versionDirectory, config.architecture(), device);
    return new ContentModel(
        versionDirectory, config, Sha256.ofFile(configFile), encoder, head, served, ngram);
  }

  /** The version directory named by {@code <modelRoot>/RELEASED}. */
  public static Path releasedVersion(Path modelRoot) {
    Path pointer = modelRoot.resolve("RELEASED");
    try {
      String version = Files.readString(pointer, StandardCharsets.UTF_8).strip();
      if (version.isEmpty()) {
        throw new IllegalStateException(pointer + " is empty");
      }
      return modelRoot.resolve(version);
    } catch (IOException e) {
      throw new UncheckedIOException("no released content model (" + pointer + ")", e);
    }
  }

  public HeadConfig config() {
    return config;
  }

  /** SHA-256 of config.json: identifies weights + thresholds + calibration together. */
  public String configSha256() {
    return configSha256;
  }

  public Path directory() {
    return directory;
  }

  public ChunkEncoder encoder() {
    return encoder;
  }

  public ContentHead head() {
    return head;
  }

  /** Encodes and scores pages; a page without chunks gets {@code null} (no opinion). */
  public BatchResult score(List<List<Chunk>> pages) {
    List<String> texts = new ArrayList<>();
    for (List<Chunk> page : pages) {
      for (Chunk chunk : page) {
        texts.add(chunk.text());
      }
    }
    long start = System.nanoTime();
    float[][] vectors = encoder.embed(texts);
    long encoderNanos = System.nanoTime() - start;
    List<float[][]> perPage = new ArrayList<>(pages.size());
    int next = 0;
    for (List<Chunk> page : pages) {
      float[][] pageVectors = new float[page.size()][];
      for (int i = 0; i < page.size(); i++) {
        pageVectors[i] = vectors[next++];
      }
      perPage.add(pageVectors);
    }
    BatchResult headResult = scoreEmbeddings(perPage, chunkTexts(pages));
    return new BatchResult(headResult.pages(), encoderNanos, headResult.headNanos(), texts.size());
  }

  /** The chunk texts of each page (what the n-gram model reads, chunk by chunk and joined). */
  public static List<List<String>> chunkTexts(List<List<Chunk>> pages) {
    List<List<String>> out = new ArrayList<>(pages.size());
    for (List<Chunk> page : pages) {
      out.add(page.stream().map(Chunk::text).toList());
    }
    return out;
  }

  /** Scores embeddings with the head alone (a model without n-gram fusion). */
  public BatchResult scoreEmbeddings(List<float[][]> pages) {
    if (ngram != null) {
      throw new IllegalStateException(
          "this model fuses an n-gram model: score with the chunk texts");
    }
    return scoreEmbeddings(pages, null);
  }

  /**
   * Scores pages given their chunk embeddings (one {@code float[chunks][dim]} per page, possibly
   * empty). One head call covers all pages and all chunks.
   */
  public BatchResult scoreEmbeddings(List<float[][]> pages, List<List<String>> texts) {
    int inputDim = config.architecture().inputDim();
    int pageRows = 0;
    int chunkRows = 0;
    for (float[][] page : pages) {
      if (page.length > 0) {
        pageRows++;
        chunkRows += page.length;
      }
    }
    int rows = pageRows + chunkRows;
    float[] features = new float[rows * inputDim];
    float scale = config.inputScale();
    int row = 0;
    for (float[][] page : pages) {
      if (page.length > 0) {
        PagePooling.meanMax(page, 0, page.length, scale, features, row * inputDim);
        row++;
      }
    }
    for (float[][] page : pages) {
      for (int c = 0; c < page.length; c++) {
        PagePooling.meanMax(page, c, c + 1, scale, features, row * inputDim);
        row++;
      }
    }
    long start = System.nanoTime();
    float[][] logits = head.logits(features, rows);
    long headNanos = System.nanoTime() - start;

    List<PageScores> out = new ArrayList<>(pages.size());
    int pageRow = 0;
    int chunkRow = pageRows;
    for (int p = 0; p < pages.size(); p++) {
      float[][] page = pages.get(p);
      if (page.length == 0) {
        out.add(null);
        continue;
      }
      List<String> pageTexts = ngram == null ? null : texts.get(p);
      double[] pageNgram = ngram == null ? null : ngram.logits(String.join(" ", pageTexts));
      float[] pageLogits = logits[pageRow++];
      double[] raw = new double[pageLogits.length];
      double[] calibrated = new double[pageLogits.length];
      for (int k = 0; k < pageLogits.length; k++) {
        raw[k] = fuse(k, pageLogits[k], pageNgram);
        calibrated[k] = calibrations[k].apply(raw[k]);
      }
      double[][] chunkScores = new double[page.length][pageLogits.length];
      for (int c = 0; c < page.length; c++) {
        float[] chunkLogits = logits[chunkRow++];
        double[] chunkNgram = ngram == null ? null : ngram.logits(pageTexts.get(c));
        for (int k = 0; k < chunkLogits.length; k++) {
          chunkScores[c][k] = calibrations[k].apply(fuse(k, chunkLogits[k], chunkNgram));
        }
      }
      out.add(new PageScores(raw, calibrated, chunkScores));
    }
    return new BatchResult(out, 0L, headNanos, chunkRows);
  }

  /** {@code (1 - w) * head + w * ngram} for output k (the head alone when w is 0). */
  private double fuse(int k, double head, double[] ngramLogits) {
    double w = ngramWeights[k];
    return w == 0 || ngramLogits == null ? head : (1 - w) * head + w * ngramLogits[k];
  }

  /** The fused n-gram model, if any. */
  public Optional<NgramModel> ngram() {
    return Optional.ofNullable(ngram);
  }

  @Override
  public void close() {
    head.close();
  }
}
