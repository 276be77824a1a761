package dev.sieve.content.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of HTML and text extraction (Jazzer): any markup, however malformed,
 * yields a page within the text budget and never an exception. Every test run replays the committed
 * inputs under {@code src/test/resources/dev/sieve/content/extract/PageExtractorFuzzTestInputs/}
 * and fuzzes for a few seconds (docs/reliability.md, "Wire input and operations").
 */
class PageExtractorFuzzTest {

  /** Inputs tried in this JVM, printed at the end (the figure docs/reliability.md reports). */
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @AfterAll
  static void reportExecutions() {
    System.out.println("PageExtractorFuzzTest: " + EXECUTIONS.get() + " inputs");
  }

  private static final int MAX_TEXT_CHARS = 2_000;
  // A small text budget so truncation is reached; a generous parse budget so a slow machine does
  // not
  // make the result depend on timing.
  private static final PageExtractor EXTRACTOR =
      new PageExtractor(
          new ExtractionLimits(
              ExtractionLimits.DEFAULT_MAX_BODY_BYTES,
              MAX_TEXT_CHARS,
              Duration.ofSeconds(5),
              ExtractionLimits.DEFAULT_WORDS_PER_CHUNK,
              ExtractionLimits.DEFAULT_MAX_CHUNKS));

  @FuzzTest(maxDuration = "10s")
  void anyMarkupYieldsAPageWithinTheTextBudget(FuzzedDataProvider data) {
    EXECUTIONS.incrementAndGet();
    boolean asText = data.consumeBoolean();
    String input = data.consumeRemainingAsString();

    ExtractedPage page = asText ? EXTRACTOR.extractText(input) : EXTRACTOR.extractHtml(input);

    assertThat(page.inputKind()).isEqualTo(asText ? "text" : "html");
    assertThat(page.textChars()).isLessThanOrEqualTo(MAX_TEXT_CHARS);
    assertThat(page.language()).isIn("en", "und");
    assertThat(page.truncationReasons()).isSubsetOf("parse_budget", "max_text_chars");
  }
}
