package dev.sieve.content.extract;

import dev.sieve.core.util.Settings;
import java.time.Duration;

/**
 * Bounds on the work one page may cost the content tier.
 *
 * <p>A filtering proxy forwards whatever a web server sent, so every cost must be capped before it
 * is paid: the body size is checked before decoding or parsing (a 50 MB page is rejected, not
 * parsed), parsing stops when its time budget is spent (what was parsed so far is scored),
 * extracted text is cut at {@code maxTextChars}, and at most {@code maxChunks} chunks of {@code
 * wordsPerChunk} words are encoded. The same limits apply when training, so a model never sees text
 * the service would not.
 *
 * @param maxBodyBytes largest html/text body accepted (bytes); larger bodies are RESOURCE_EXHAUSTED
 * @param maxTextChars extracted text kept per page (characters), across all sections
 * @param parseBudget wall-clock budget for HTML parsing; parsing stops (page marked truncated)
 *     after
 * @param wordsPerChunk words per encoder chunk: the MiniLM tokenizer truncates at 128 word pieces,
 *     so a chunk must stay under ~100 words or its tail is silently ignored
 * @param maxChunks chunks encoded per page (the dominant cost of the tier)
 * @param markup bounds on the page's markup structure (tags, depth, attributes, entities), applied
 *     before parsing so that no page within the body limit costs more than a bounded parse
 */
public record ExtractionLimits(
    int maxBodyBytes,
    int maxTextChars,
    Duration parseBudget,
    int wordsPerChunk,
    int maxChunks,
    MarkupLimits markup) {

  /** With the default markup limits. */
  public ExtractionLimits(
      int maxBodyBytes, int maxTextChars, Duration parseBudget, int wordsPerChunk, int maxChunks) {
    this(
        maxBodyBytes, maxTextChars, parseBudget, wordsPerChunk, maxChunks, MarkupLimits.defaults());
  }

  /** 2 MiB: the router's default body limit, so the tier accepts whatever the router forwards. */
  public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

  public static final int DEFAULT_MAX_TEXT_CHARS = 60_000;
  public static final Duration DEFAULT_PARSE_BUDGET = Duration.ofMillis(250);

  /**
   * 90 words: English web text averages ~1.2-1.35 word pieces per word, so 90 words stay under the
   * tokenizer's 128-piece cut (126 usable after [CLS]/[SEP]) for ordinary prose.
   */
  public static final int DEFAULT_WORDS_PER_CHUNK = 90;

  public static final int DEFAULT_MAX_CHUNKS = 16;

  public ExtractionLimits {
    if (maxBodyBytes <= 0 || maxTextChars <= 0 || wordsPerChunk <= 0 || maxChunks <= 0) {
      throw new IllegalArgumentException("extraction limits must be positive");
    }
    if (parseBudget == null || parseBudget.isNegative() || parseBudget.isZero()) {
      throw new IllegalArgumentException("parse budget must be positive");
    }
    if (markup == null) {
      throw new IllegalArgumentException("markup limits are required");
    }
  }

  public static ExtractionLimits defaults() {
    return new ExtractionLimits(
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_TEXT_CHARS,
        DEFAULT_PARSE_BUDGET,
        DEFAULT_WORDS_PER_CHUNK,
        DEFAULT_MAX_CHUNKS);
  }

  /**
   * Limits from settings: SIEVE_MAX_BODY_BYTES, SIEVE_CONTENT_MAX_TEXT_CHARS,
   * SIEVE_CONTENT_PARSE_BUDGET_MS, SIEVE_CONTENT_MAX_CHUNKS and the markup limits ({@link
   * MarkupLimits#fromSettings()}). The chunk size is not configurable at serving time: it is part
   * of the trained model's configuration.
   */
  public static ExtractionLimits fromSettings(int wordsPerChunk) {
    return new ExtractionLimits(
        Settings.getInt("SIEVE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
        Settings.getInt("SIEVE_CONTENT_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS),
        Duration.ofMillis(
            Settings.getLong("SIEVE_CONTENT_PARSE_BUDGET_MS", DEFAULT_PARSE_BUDGET.toMillis())),
        wordsPerChunk,
        Settings.getInt("SIEVE_CONTENT_MAX_CHUNKS", DEFAULT_MAX_CHUNKS),
        MarkupLimits.fromSettings());
  }

  public ExtractionLimits withWordsPerChunk(int words) {
    return new ExtractionLimits(maxBodyBytes, maxTextChars, parseBudget, words, maxChunks, markup);
  }

  public ExtractionLimits withMaxChunks(int chunks) {
    return new ExtractionLimits(
        maxBodyBytes, maxTextChars, parseBudget, wordsPerChunk, chunks, markup);
  }

  public ExtractionLimits withParseBudget(Duration budget) {
    return new ExtractionLimits(
        maxBodyBytes, maxTextChars, budget, wordsPerChunk, maxChunks, markup);
  }

  public ExtractionLimits withMaxBodyBytes(int bytes) {
    return new ExtractionLimits(bytes, maxTextChars, parseBudget, wordsPerChunk, maxChunks, markup);
  }

  public ExtractionLimits withMarkup(MarkupLimits limits) {
    return new ExtractionLimits(
        maxBodyBytes, maxTextChars, parseBudget, wordsPerChunk, maxChunks, limits);
  }
}
