package dev.sieve.llm.embedded;

import dev.sieve.core.scoring.ServedThresholds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a version of the embedded zero-shot model ({@code models/llm-zero-shot/<version>/}) into an
 * {@link EmbeddingBackend}: the frozen encoder, the dev-fitted {@code calibration.json} and, for
 * serving, the evaluation standard's {@code thresholds.json}.
 *
 * <p>Why one loader: the service ({@code LlmFallbackServiceMain}), the standard's offline
 * evaluation ({@code LlmScorerProvider}) and the version builder ({@code ZeroShotEvalCommand}) must
 * score through the same encoder, chunking, calibration and lineage, or the thresholds the
 * evaluation chooses would be measured on a path that does not serve. The only difference allowed
 * is the one the standard asks for: the evaluation scores calibrated probabilities, serving aligns
 * them with thresholds.json.
 */
public final class EmbeddedModel {

  /** The calibration file of a version directory. */
  public static final String CALIBRATION = "calibration.json";

  /** Chunks scored per page unless {@code SIEVE_LLM_MAX_CHUNKS} says otherwise. */
  public static final int DEFAULT_MAX_CHUNKS = 12;

  /**
   * What the backend returns: aligned scores (serving) or calibrated probabilities (evaluation).
   */
  public enum Scale {
    /** Calibrated probabilities aligned with thresholds.json when the version has one. */
    SERVED,
    /** Calibrated probabilities, never aligned: the scale thresholds.json is chosen on. */
    PROBABILITY
  }

  private static final Logger log = LoggerFactory.getLogger(EmbeddedModel.class);

  private EmbeddedModel() {}

  /** {@code <home>/models/llm-zero-shot}: the versions and their RELEASED pointer. */
  public static Path modelRoot(Path home) {
    return home.resolve("models").resolve(EmbeddingBackend.MODEL_NAME);
  }

  /** The version directory {@code <modelRoot>/RELEASED} names; empty without a RELEASED file. */
  public static Optional<Path> releasedVersion(Path modelRoot) {
    Path released = modelRoot.resolve("RELEASED");
    if (!Files.isRegularFile(released)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          modelRoot.resolve(Files.readString(released, StandardCharsets.UTF_8).strip()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + released, e);
    }
  }

  /**
   * The serving scorer: MiniLM chunks of at most {@link MiniLmSentenceEncoder#MAX_WORDS} words, at
   * most {@code maxChunks} per page.
   *
   * @param executor runs the encoder's per-chunk inference; null = langchain4j's default
   */
  public static ZeroShotScorer scorer(int maxChunks, Executor executor) {
    SentenceEncoder encoder =
        executor == null ? new MiniLmSentenceEncoder() : new MiniLmSentenceEncoder(executor);
    return new ZeroShotScorer(encoder, new TextChunker(MiniLmSentenceEncoder.MAX_WORDS, maxChunks));
  }

  /**
   * The embedded backend of one calibration file and the thresholds next to it.
   *
   * @param calibrationFile {@code <version>/calibration.json}; empty = no released version (the
   *     documented default mapping, no thresholds)
   * @throws IllegalArgumentException when the version's thresholds.json exists but is invalid
   *     (serving must not start on thresholds its card did not choose)
   * @throws UncheckedIOException when the calibration file is unreadable or malformed
   */
  public static EmbeddingBackend backend(
      ZeroShotScorer scorer, Optional<Path> calibrationFile, Scale scale, int maxInFlight) {
    Calibration calibration = calibrationFile.map(Calibration::load).orElseGet(Calibration::none);
    if (!calibration.encoder().isEmpty() && !calibration.encoder().equals(scorer.encoder().id())) {
      log.warn(
          "calibration {} was fitted with encoder {}, serving {}: ignoring it and its thresholds"
              + " (default mapping)",
          calibration.version(),
          calibration.encoder(),
          scorer.encoder().id());
      return new EmbeddingBackend(scorer, Calibration.none(), Optional.empty(), maxInFlight);
    }
    calibrationFile.ifPresent(
        f ->
            log.info(
                "calibration {} (dataset {}) from {}",
                calibration.version(),
                calibration.datasetVersion(),
                f));
    // Loaded (validated) on every load, so a broken file fails the evaluation as it fails serving.
    Optional<ServedThresholds> thresholds =
        calibrationFile.flatMap(f -> ServedThresholds.load(f.toAbsolutePath().getParent()));
    if (scale == Scale.PROBABILITY) {
      thresholds = Optional.empty();
    } else if (thresholds.isPresent()) {
      log.info(
          "serving the standard's thresholds from {} (dataset {})",
          thresholds.get().file(),
          thresholds.get().datasetVersion());
    } else if (calibrationFile.isPresent()) {
      Path versionDir = calibrationFile.get().toAbsolutePath().getParent();
      log.warn(
          "{} has no {}: serving calibrated probabilities unaligned (the router decides at 0.5),"
              + " which no standard model card has measured (run ./sieve eval run --tier llm --model-dir {})",
          versionDir,
          ServedThresholds.FILE,
          versionDir);
    }
    return new EmbeddingBackend(scorer, calibration, thresholds, maxInFlight);
  }
}
