package dev.sieve.content.extract;

import static dev.sieve.content.extract.MarkupGuardTest.depth;
import static dev.sieve.content.extract.MarkupGuardTest.elements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * The pathological pages of issue #12 item 4 (each within the 2 MiB body limit) get a bounded,
 * stated outcome with the default limits: what the parser is given stays within the markup budget,
 * the text that can be kept is scored, and the truncation reasons say which limit was hit. Cost is
 * measured in {@code ExtractionCostBench}, never asserted here.
 */
class PoisonPagesTest {

  private final ExtractionLimits limits = ExtractionLimits.defaults();
  private final PageExtractor extractor = new PageExtractor(limits);
  private final MarkupGuard guard = new MarkupGuard(limits.markup());
  private final TextChunker chunker = new TextChunker(limits);

  private void assertBoundedParse(MarkupGuard.Result guarded) {
    assertThat(guarded.tags()).isLessThanOrEqualTo(MarkupLimits.DEFAULT_MAX_TAGS);
    assertThat(elements(guarded.html())).isLessThanOrEqualTo(MarkupLimits.DEFAULT_MAX_TAGS);
    assertThat(depth(guarded.html())).isLessThanOrEqualTo(MarkupLimits.DEFAULT_MAX_DEPTH + 2);
  }

  @Test
  void allInputsFitTheBodyLimit() {
    assertThat(PoisonPages.ofIssue12().values())
        .allSatisfy(
            page ->
                assertThat(PoisonPages.utf8Bytes(page)).isLessThanOrEqualTo(limits.maxBodyBytes()));
  }

  @Test
  void hundredThousandNestedDivsAreFlattenedAndTheirTextScored() {
    String html = PoisonPages.nestedDivs(100_000);
    MarkupGuard.Result guarded = guard.apply(html);
    assertThat(guarded.reasons()).containsExactlyInAnyOrder("max_depth", "max_tags");
    assertThat(guarded.tags()).isEqualTo(MarkupLimits.DEFAULT_MAX_TAGS);
    // html and body are open: 254 divs nest, the other 19,746 of the first 20,000 are flattened.
    assertThat(guarded.droppedTags()).isEqualTo(MarkupLimits.DEFAULT_MAX_TAGS - 2 - 254);
    assertBoundedParse(guarded);

    ExtractedPage page = extractor.extractHtml(html);
    assertThat(page.body()).isEqualTo("casino poker betting odds");
    assertThat(page.truncationReasons()).contains("max_depth", "max_tags");
    assertThat(chunker.chunk(page)).hasSize(1);
  }

  @Test
  void threeHundredThousandUnclosedTagsStopAtTheTagLimit() {
    String html = PoisonPages.unclosedTags(300_000);
    MarkupGuard.Result guarded = guard.apply(html);
    assertThat(guarded.reasons()).contains("max_tags", "max_depth");
    assertBoundedParse(guarded);

    ExtractedPage page = extractor.extractHtml(html);
    assertThat(page.body()).startsWith("w w w");
    assertThat(page.textChars()).isLessThanOrEqualTo(limits.maxTextChars());
    assertThat(page.truncationReasons()).contains("max_tags", "max_depth", "max_text_chars");
    List<Chunk> chunks = chunker.chunk(page);
    assertThat(chunks).hasSize(limits.maxChunks());
  }

  @Test
  void fourHundredThousandEntitiesEndThePageAtAPageLimit() {
    String html = PoisonPages.entities(400_000);
    MarkupGuard.Result guarded = guard.apply(html);
    // "&lt; " is five characters of page text: the page-text limit (240,000) ends it after 48,000
    // references, just before the entity limit (50,000) would.
    assertThat(guarded.reasons()).containsExactly("max_page_text");
    assertThat(guarded.entities()).isEqualTo(48_000);
    assertThat(guarded.entities()).isLessThanOrEqualTo(MarkupLimits.DEFAULT_MAX_ENTITIES);
    assertThat(guarded.html().chars().filter(c -> c == '&').count())
        .isLessThanOrEqualTo(MarkupLimits.DEFAULT_MAX_ENTITIES);
    assertBoundedParse(guarded);

    ExtractedPage page = extractor.extractHtml(html);
    assertThat(page.body()).startsWith("< < <");
    assertThat(page.truncationReasons()).contains("max_page_text", "max_text_chars");
    assertThat(chunker.chunk(page)).hasSize(limits.maxChunks());
  }

  @Test
  void oneTagWithThreeHundredThousandAttributesKeepsTheFirst128() {
    String html = PoisonPages.attributes(300_000);
    MarkupGuard.Result guarded = guard.apply(html);
    assertThat(guarded.reasons()).containsExactly("max_attributes");
    assertThat(guarded.droppedAttributes())
        .isEqualTo(300_000 - MarkupLimits.DEFAULT_MAX_ATTRIBUTES_PER_TAG);
    assertThat(Jsoup.parse(guarded.html()).selectFirst("div").attributes().size())
        .isEqualTo(MarkupLimits.DEFAULT_MAX_ATTRIBUTES_PER_TAG);
    assertBoundedParse(guarded);

    ExtractedPage page = extractor.extractHtml(html);
    assertThat(page.body()).isEqualTo("casino poker");
    assertThat(page.truncationReasons()).containsExactly("max_attributes");
  }

  @Test
  void aNearlyTwoMebibytePageIsReadUpToItsLimitsAndScoredOnSixteenChunks() {
    String html = PoisonPages.largePage(1_990_000);
    MarkupGuard.Result guarded = guard.apply(html);
    assertThat(guarded.reasons()).contains("max_page_text");
    assertThat(guarded.html().length()).isLessThan(html.length());
    assertBoundedParse(guarded);

    ExtractedPage page = extractor.extractHtml(html);
    assertThat(page.title()).isEqualTo("Geography notes");
    assertThat(page.textChars()).isLessThanOrEqualTo(limits.maxTextChars());
    assertThat(page.truncationReasons()).contains("max_page_text", "max_text_chars");
    assertThat(chunker.chunk(page)).hasSize(limits.maxChunks());
  }
}
