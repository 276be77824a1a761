package dev.sieve.content.serve;

import com.google.protobuf.ByteString;
import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractedPage;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.TextChunker;
import dev.sieve.content.extract.TextNormalizer;
import dev.sieve.content.model.CategoryConfig;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.scoring.Utf8;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The content tier: HTML or text in, calibrated per-category scores with the chunks that drove
 * them.
 *
 * <p>Request handling, in order (each step's failure is the precise status the Scorer contract
 * names, never INTERNAL):
 *
 * <ol>
 *   <li>Input: {@code html} when present, else {@code text}. Neither: INVALID_ARGUMENT (the router
 *       consults this tier only for requests with a body).
 *   <li>Size: a body over {@link dev.sieve.content.extract.ExtractionLimits#maxBodyBytes()} is
 *       RESOURCE_EXHAUSTED before any decoding or parsing (the gRPC server's inbound message limit
 *       is set just above it, so a 50 MB body is refused by gRPC before it is even read whole).
 *   <li>Admission: when the call's deadline cannot cover the work already queued for the encoder
 *       (plus the smallest page), RESOURCE_EXHAUSTED at once, before any parsing.
 *   <li>Binary or non-text content (NUL bytes, or a PDF/ZIP/image/gzip signature):
 *       INVALID_ARGUMENT.
 *   <li>Invalid UTF-8: INVALID_ARGUMENT naming the byte offset (core {@link Utf8#decode}).
 *   <li>Unknown category in {@code categories}: INVALID_ARGUMENT.
 *   <li>Extraction (jsoup, bounded by the parse time budget and text limit) and chunking run on the
 *       caller's thread. A page with no extractable text gets an OK response with no scores: "no
 *       opinion", which the router treats differently from a low score.
 *   <li>Chunks go to the {@link DynamicBatcher} with the call's deadline: queue full, or a deadline
 *       too short for the expected queue wait plus service time (deadline admission), is
 *       RESOURCE_EXHAUSTED at once; a deadline that expires while queued (or turns out shorter than
 *       the batch it would join) is DEADLINE_EXCEEDED and the request is dropped before compute.
 * </ol>
 *
 * <p>Non-English text is scored like any other (the language hint, "en" or "und", is reported in
 * {@code normalized_input} and in every evidence's source, because the model was trained on English
 * and its scores are less reliable elsewhere).
 *
 * <p>Only categories the model card could measure are reported ({@link CategoryConfig#served()});
 * the others are absent, i.e. "no opinion".
 */
public final class ContentTierScorer implements TierScorer, AutoCloseable {

  public static final String TIER = "content";

  /** Evidence chunks per category (the strongest first). */
  static final int EVIDENCE_PER_CATEGORY = 2;

  static final int EVIDENCE_CHARS = 200;

  /** Longest a request without a deadline may wait for its batch. */
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  /** Where the batch time went (for metrics and the benchmark). */
  public static final class Timings {
    final LongAdder encoderNanos = new LongAdder();
    final LongAdder headNanos = new LongAdder();
    final LongAdder chunks = new LongAdder();
    final LongAdder pages = new LongAdder();

    public long encoderNanos() {
      return encoderNanos.sum();
    }

    public long headNanos() {
      return headNanos.sum();
    }

    public long chunks() {
      return chunks.sum();
    }

    public long pages() {
      return pages.sum();
    }
  }

  private final ContentModel model;
  private final PageExtractor extractor;
  private final TextChunker chunker;
  private final DynamicBatcher<List<Chunk>, ContentModel.PageScores> batcher;
  private final ModelInfo modelInfo;
  private final List<String> served;
  private final int[] servedOutput;
  private final Timings timings = new Timings();

  public ContentTierScorer(
      ContentModel model, PageExtractor extractor, BatcherConfig batcherConfig) {
    HeadConfig config = model.config();
    if (extractor.limits().wordsPerChunk() != config.wordsPerChunk()) {
      throw new IllegalArgumentException(
          "extractor chunks "
              + extractor.limits().wordsPerChunk()
              + " words but the model was trained on "
              + config.wordsPerChunk());
    }
    this.model = model;
    this.extractor = extractor;
    this.chunker = new TextChunker(extractor.limits());
    // One unit of batcher work = one encoder chunk: the encoder dominates the tier's cost.
    this.batcher = new DynamicBatcher<>(TIER, batcherConfig, this::computeBatch, List::size);
    this.modelInfo =
        ModelInfo.newBuilder()
            .setName(config.name())
            .setVersion(config.version())
            .setConfigHash(model.configSha256())
            .setDatasetVersion(nullToEmpty(config.datasetVersion()))
            .build();
    this.served = config.servedCategoryIds();
    List<String> outputs = config.categoryIds();
    this.servedOutput = served.stream().mapToInt(outputs::indexOf).toArray();
  }

  private List<ContentModel.PageScores> computeBatch(List<List<Chunk>> pages) {
    ContentModel.BatchResult result = model.score(pages);
    timings.encoderNanos.add(result.encoderNanos());
    timings.headNanos.add(result.headNanos());
    timings.chunks.add(result.chunks());
    timings.pages.add(pages.size());
    return result.pages();
  }

  @Override
  public String tier() {
    return TIER;
  }

  @Override
  public TierDescription describe() {
    return TierDescription.newBuilder()
        .setTier(TIER)
        .setModel(modelInfo)
        .addAllCategories(served)
        .build();
  }

  public ModelInfo modelInfo() {
    return modelInfo;
  }

  public DynamicBatcher<List<Chunk>, ContentModel.PageScores> batcher() {
    return batcher;
  }

  public Timings timings() {
    return timings;
  }

  public PageExtractor extractor() {
    return extractor;
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    return score(request, true);
  }

  /**
   * Scores like {@link #score} but returns the calibrated probabilities before threshold alignment:
   * the scale on which the evaluation standard chooses the thresholds that serving then aligns to
   * 0.5 (see {@code ContentScorerProvider}).
   */
  public ScoreResponse scoreProbabilities(ScoreRequest request) throws ScoringException {
    return score(request, false);
  }

  private ScoreResponse score(ScoreRequest request, boolean aligned) throws ScoringException {
    boolean html = !request.getHtml().isEmpty();
    ByteString body = html ? request.getHtml() : request.getText();
    String field = html ? "html" : "text";
    if (body.isEmpty()) {
      throw ScoringException.invalidArgument("the content tier needs html or text; both are empty");
    }
    if (body.size() > extractor.limits().maxBodyBytes()) {
      throw ScoringException.resourceExhausted(
          field
              + " is "
              + body.size()
              + " bytes; the content tier accepts at most "
              + extractor.limits().maxBodyBytes());
    }
    Deadline deadline = Context.current().getDeadline();
    try {
      // Shed before parsing: under overload a request that cannot finish costs no extraction
      // either.
      batcher.checkAdmission(1, deadline);
    } catch (DynamicBatcher.QueueFullException e) {
      throw ScoringException.resourceExhausted(e.getMessage());
    }
    String binaryKind = ContentSniffer.binaryKind(body);
    if (binaryKind != null) {
      throw ScoringException.invalidArgument(field + " is not text (" + binaryKind + ")");
    }
    String decoded = Utf8.decode(body, field);
    int[] outputs = requestedOutputs(request.getCategoriesList());

    ExtractedPage page = html ? extractor.extractHtml(decoded) : extractor.extractText(decoded);
    List<Chunk> chunks = chunker.chunk(page);
    String normalizedInput = describeInput(page, chunks);
    ScoreResponse.Builder response =
        ScoreResponse.newBuilder()
            .setTier(TIER)
            .setModel(modelInfo)
            .setNormalizedInput(normalizedInput);
    if (chunks.isEmpty() || outputs.length == 0) {
      return response.build();
    }
    ContentModel.PageScores scores = awaitScores(chunks);
    List<String> outputIds = model.config().categoryIds();
    for (int output : outputs) {
      response.addScores(
          categoryScore(outputIds.get(output), output, scores, chunks, page.language(), aligned));
    }
    return response.build();
  }

  private ContentModel.PageScores awaitScores(List<Chunk> chunks) throws ScoringException {
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    CompletableFuture<ContentModel.PageScores> future;
    try {
      future = batcher.submit(chunks, deadline, context);
    } catch (DynamicBatcher.QueueFullException e) {
      throw ScoringException.resourceExhausted(e.getMessage());
    } catch (DynamicBatcher.DeadlineExpiredException e) {
      throw ScoringException.deadlineExceeded(e.getMessage());
    }
    long waitNanos =
        deadline == null
            ? DEFAULT_WAIT.toNanos()
            : Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    try {
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw ScoringException.deadlineExceeded(
          "deadline expired while waiting for the content model");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new ScoringException(
          Status.Code.CANCELLED, "interrupted while waiting for the content model");
    } catch (CancellationException e) {
      throw ScoringException.deadlineExceeded("request cancelled while queued");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DynamicBatcher.DeadlineExpiredException expired) {
        throw ScoringException.deadlineExceeded(expired.getMessage());
      }
      throw new ScoringException(
          Status.Code.UNAVAILABLE,
          "content model failed: " + e.getCause().getClass().getSimpleName(),
          e.getCause());
    }
  }

  private int[] requestedOutputs(List<String> requested) throws ScoringException {
    if (requested.isEmpty()) {
      return servedOutput;
    }
    Taxonomy taxonomy = Taxonomy.v1();
    List<Integer> out = new ArrayList<>();
    for (String category : requested) {
      if (!taxonomy.contains(category)) {
        throw ScoringException.invalidArgument("unknown category '" + category + "'");
      }
      int index = served.indexOf(category);
      if (index >= 0 && !out.contains(servedOutput[index])) {
        out.add(servedOutput[index]);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private CategoryScore categoryScore(
      String category,
      int output,
      ContentModel.PageScores scores,
      List<Chunk> chunks,
      String language,
      boolean aligned) {
    // Common score scale: the threshold the model card measured (thresholds.json) sits at 0.5.
    double probability = scores.calibrated()[output];
    CategoryScore.Builder score =
        CategoryScore.newBuilder()
            .setCategory(category)
            .setScore(
                aligned
                    ? ThresholdAlignment.align(probability, model.threshold(output))
                    : probability);
    List<Integer> order = new ArrayList<>(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      order.add(c);
    }
    order.sort(Comparator.comparingDouble((Integer c) -> -scores.chunkCalibrated()[c][output]));
    for (int i = 0; i < Math.min(EVIDENCE_PER_CATEGORY, order.size()); i++) {
      int c = order.get(i);
      Chunk chunk = chunks.get(c);
      score.addEvidence(
          Evidence.newBuilder()
              .setKind(Evidence.Kind.KIND_TEXT_SPAN)
              .setCategory(category)
              .setDetail(TextNormalizer.abbreviate(chunk.text(), EVIDENCE_CHARS))
              .setWeight(scores.chunkCalibrated()[c][output])
              .setSource(
                  "chunk "
                      + (c + 1)
                      + "/"
                      + chunks.size()
                      + " "
                      + chunk.section()
                      + " lang="
                      + language));
    }
    return score.build();
  }

  private String describeInput(ExtractedPage page, List<Chunk> chunks) {
    StringBuilder out = new StringBuilder();
    out.append(page.inputKind())
        .append(" lang=")
        .append(page.language())
        .append(" chars=")
        .append(page.textChars())
        .append(" chunks=")
        .append(chunks.size());
    int uncapped = chunker.uncappedChunkCount(page);
    List<String> reasons = new ArrayList<>(page.truncationReasons());
    if (uncapped > chunks.size()) {
      reasons.add("max_chunks(" + uncapped + ")");
    }
    if (!reasons.isEmpty()) {
      out.append(" truncated=").append(String.join(",", reasons));
    }
    if (chunks.isEmpty()) {
      out.append(" no_text");
    }
    return out.toString();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Stops the batcher (queued requests are computed first). The model is closed by its owner. */
  @Override
  public void close() {
    batcher.close();
  }
}
