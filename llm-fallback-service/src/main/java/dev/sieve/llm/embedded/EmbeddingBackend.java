package dev.sieve.llm.embedded;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.ServedThresholds;
import dev.sieve.core.scoring.ServiceTimeEstimator;
import dev.sieve.core.scoring.ThresholdAlignment;
import dev.sieve.core.util.Sha256;
import dev.sieve.llm.BackendResult;
import dev.sieve.llm.ScoringBackend;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.embedded.ZeroShotScorer.EmbeddedText;
import dev.sieve.llm.embedded.ZeroShotScorer.Match;
import dev.sieve.llm.input.InputKind;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default backend: zero-shot scores from MiniLM embedding similarity, in-process, no external
 * service. See {@link ZeroShotScorer} for the margin and {@link Calibration} for the mapping to a
 * probability.
 *
 * <p>Bounded: at most {@code maxInFlight} requests embed at once; one more is refused with
 * RESOURCE_EXHAUSTED at once (never queued), so an overloaded tier sheds load instead of building
 * latency the router's deadline would waste. Admission by what can finish in time (issue #12 item
 * 3): a request whose time budget is shorter than what a request currently takes here (an EWMA of
 * recent requests' wall time, contention included) is refused with RESOURCE_EXHAUSTED before any
 * embedding (unless nothing else is in flight), and one whose budget is already spent with
 * DEADLINE_EXCEEDED, so no work is done for a caller who will not wait for it.
 *
 * <p>Score scale: with the evaluation standard's thresholds ({@code thresholds.json}, see {@link
 * EmbeddedModel}) each calibrated probability is aligned so that the threshold the standard model
 * card measured sits at 0.5 ({@link ThresholdAlignment}), and the router's 0.5 decides exactly
 * where the card does. A category the file does not name (an emerging category configured after the
 * evaluation, or one the dataset has no labels for) keeps the tier's rule from before the standard:
 * {@link #DEFAULT_THRESHOLD} 0.5, at which the alignment is the identity. Without thresholds (no
 * file, or the offline evaluation, which must see the unaligned probabilities) every score is the
 * calibrated probability.
 */
public final class EmbeddingBackend implements ScoringBackend {

  public static final String MODEL_NAME = "llm-zero-shot";

  /**
   * Threshold of a category thresholds.json does not name: the calibrated probability is served as
   * it is ({@code align(p, 0.5) == p}) and the router decides at 0.5, as before the standard.
   */
  public static final double DEFAULT_THRESHOLD = ThresholdAlignment.ALIGNED_THRESHOLD;

  private static final int MAX_SPAN_CHARS = 240;

  private final ZeroShotScorer scorer;
  private final Calibration calibration;
  private final Optional<ServedThresholds> thresholds;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final ServiceTimeEstimator serviceTime = new ServiceTimeEstimator();
  private final LongAdder shed = new LongAdder();

  /** A backend serving calibrated probabilities without alignment. */
  public EmbeddingBackend(ZeroShotScorer scorer, Calibration calibration, int maxInFlight) {
    this(scorer, calibration, Optional.empty(), maxInFlight);
  }

  /**
   * @param thresholds the evaluation standard's thresholds to align scores with; empty = calibrated
   *     probabilities (see the class comment)
   */
  public EmbeddingBackend(
      ZeroShotScorer scorer,
      Calibration calibration,
      Optional<ServedThresholds> thresholds,
      int maxInFlight) {
    this.scorer = scorer;
    this.calibration = calibration;
    this.thresholds = thresholds;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  @Override
  public String name() {
    return "embedded";
  }

  public Calibration calibration() {
    return calibration;
  }

  /** The standard's thresholds this backend aligns its scores with, if any. */
  public Optional<ServedThresholds> thresholds() {
    return thresholds;
  }

  /** Threshold that {@code category}'s calibrated probability is aligned with (0.5 = unaligned). */
  public double threshold(String category) {
    return thresholds
        .map(t -> t.thresholdOr(category, DEFAULT_THRESHOLD))
        .orElse(DEFAULT_THRESHOLD);
  }

  @Override
  public ModelInfo modelInfo(CategoryCatalog catalog) {
    return ModelInfo.newBuilder()
        .setName(MODEL_NAME)
        .setVersion(calibration.version())
        .setConfigHash(
            Sha256.of(
                catalog.version()
                    + "|"
                    + scorer.encoder().id()
                    + "|"
                    + calibration.sha256()
                    + "|words="
                    + scorer.encoder().maxWordsPerText()))
        .setDatasetVersion(calibration.datasetVersion())
        .build();
  }

  @Override
  public void prepare(CategoryCatalog catalog) {
    scorer.prototypes(catalog);
  }

  /**
   * Embeds {@code catalog}'s prototypes and scores one text, so ONNX kernels are loaded before the
   * first real request (health SERVING, or an evaluation's first timed example).
   */
  public void warmUp(CategoryCatalog catalog) throws ScoringException {
    prepare(catalog);
    score(
        ScoringInput.ofText("Warm-up text about online casinos and homework help."),
        catalog,
        catalog.categories(),
        Duration.ofSeconds(30));
  }

  @Override
  public BackendResult score(
      ScoringInput input,
      CategoryCatalog catalog,
      List<CategoryDefinition> categories,
      Duration timeBudget)
      throws ScoringException {
    if (timeBudget.isZero() || timeBudget.isNegative()) {
      shed.increment();
      throw ScoringException.deadlineExceeded(
          "llm tier (embedded backend): no time left in the caller's deadline");
    }
    // An idle backend always takes the request, so a stale estimate is corrected, never locked in.
    boolean idle = inFlight.availablePermits() == maxInFlight;
    if (!idle && serviceTime.hasEstimate() && timeBudget.toNanos() < serviceTime.nanosFor(1)) {
      shed.increment();
      throw ScoringException.resourceExhausted(
          String.format(
              Locale.ROOT,
              "llm tier (embedded backend) sheds: %d ms left, a request takes about %d ms here now",
              timeBudget.toMillis(),
              serviceTime.nanosFor(1) / 1_000_000));
    }
    if (!inFlight.tryAcquire()) {
      throw ScoringException.resourceExhausted(
          "llm tier (embedded backend) is at its concurrency limit of "
              + maxInFlight
              + " requests");
    }
    long start = System.nanoTime();
    try {
      PrototypeIndex index = scorer.prototypes(catalog);
      EmbeddedText text = scorer.embed(input.textToEmbed());
      List<CategoryScore> scores = new ArrayList<>(categories.size());
      for (CategoryDefinition category : categories) {
        scores.add(
            scoreOne(
                input.kind(),
                text,
                index,
                category,
                catalog.version(),
                catalog.scoringHash(category)));
      }
      serviceTime.observe(1, System.nanoTime() - start);
      return new BackendResult(scores, modelInfo(catalog));
    } finally {
      inFlight.release();
    }
  }

  /** Requests refused before any work because their time budget could not cover it. */
  public long shed() {
    return shed.sum();
  }

  /** The permits of requests in flight (tests hold one to make the backend busy). */
  Semaphore inFlightPermits() {
    return inFlight;
  }

  /** The learned wall time of one request (drives admission); tests seed it. */
  public ServiceTimeEstimator serviceTime() {
    return serviceTime;
  }

  private CategoryScore scoreOne(
      InputKind kind,
      EmbeddedText text,
      PrototypeIndex index,
      CategoryDefinition category,
      String catalogVersion,
      String scoringHash) {
    Match match = scorer.match(text, index.get(category.id()));
    Calibration.Applied applied = calibration.apply(category, scoringHash, kind, match.margin());
    double threshold = threshold(category.id());
    double served =
        thresholds.isPresent()
            ? ThresholdAlignment.align(applied.probability(), threshold)
            : applied.probability();
    String span = text.chunks().get(match.chunkIndex());
    String spanDetail =
        kind == InputKind.URL
            ? "url words: \"" + clip(span) + "\" (URL-only input: a weak signal)"
            : "\"" + clip(span) + "\"";
    String chunkSource =
        "chunk "
            + (match.chunkIndex() + 1)
            + "/"
            + text.chunks().size()
            + (text.sampled() ? " (sampled from " + text.totalWindows() + " windows)" : "");
    return CategoryScore.newBuilder()
        .setCategory(category.id())
        .setScore(served)
        .setZeroShot(true)
        .addEvidence(
            Evidence.newBuilder()
                .setKind(Evidence.Kind.KIND_ZERO_SHOT)
                .setCategory(category.id())
                .setDetail("closest positive: " + describe(match.closestPositive()))
                .setWeight(match.positiveSimilarity())
                .setSource(
                    MODEL_NAME
                        + " "
                        + catalogVersion
                        + "; calibration "
                        + applied.how()
                        + String.format(
                            Locale.ROOT,
                            "; margin %.3f; p %.3f",
                            match.margin(),
                            applied.probability())
                        + (thresholds.isPresent()
                            ? String.format(Locale.ROOT, " aligned at threshold %.3f", threshold)
                            : "")))
        .addEvidence(
            Evidence.newBuilder()
                .setKind(Evidence.Kind.KIND_TEXT_SPAN)
                .setCategory(category.id())
                .setDetail(spanDetail)
                .setWeight(match.margin())
                .setSource(chunkSource))
        .addEvidence(
            Evidence.newBuilder()
                .setKind(Evidence.Kind.KIND_ZERO_SHOT)
                .setCategory(category.id())
                .setDetail("closest negative: " + describe(match.closestNegative()))
                .setWeight(-match.negativeSimilarity())
                .setSource(MODEL_NAME + " " + catalogVersion))
        .build();
  }

  private static String describe(PrototypeIndex.Prototype prototype) {
    return prototype.label() + " \"" + clip(prototype.text()) + "\"";
  }

  private static String clip(String text) {
    return text.length() <= MAX_SPAN_CHARS ? text : text.substring(0, MAX_SPAN_CHARS - 1) + "…";
  }
}
