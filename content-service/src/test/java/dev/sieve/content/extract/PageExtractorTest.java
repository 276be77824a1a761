package dev.sieve.content.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden tests: fixture pages in src/test/resources/extract with the expected extraction. */
class PageExtractorTest {

  private final PageExtractor extractor = new PageExtractor(ExtractionLimits.defaults());

  @ParameterizedTest
  @ValueSource(strings = {"casino", "malformed"})
  void extractsTheGoldenSections(String name) throws IOException {
    ExtractedPage page = extractor.extractHtml(resource(name + ".html"));
    JsonNode expected = new ObjectMapper().readTree(resource(name + ".expected.json"));
    assertThat(page.title()).isEqualTo(expected.get("title").asText());
    assertThat(page.description()).isEqualTo(expected.get("description").asText());
    assertThat(page.keywords()).isEqualTo(expected.get("keywords").asText());
    assertThat(page.headings()).isEqualTo(expected.get("headings").asText());
    assertThat(page.body()).isEqualTo(expected.get("body").asText());
    assertThat(page.anchors()).isEqualTo(expected.get("anchors").asText());
    assertThat(page.imageAlt()).isEqualTo(expected.get("imageAlt").asText());
    assertThat(page.language()).isEqualTo(expected.get("language").asText());
    assertThat(page.inputKind()).isEqualTo("html");
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void boilerplateNeverReachesTheText() throws IOException {
    ExtractedPage page = extractor.extractHtml(resource("casino.html"));
    String all = page.header() + " " + page.body() + " " + page.links();
    assertThat(all)
        .doesNotContain(
            "tracking",
            "late script",
            "color: red",
            "Secret hidden",
            "Decorative",
            "enable JavaScript",
            "Template text",
            "Copyright");
  }

  @Test
  void deeplyNestedMarkupIsParsedWithoutOverflow() {
    int depth = 10_000;
    String html =
        "<html><body>"
            + "<div>".repeat(depth)
            + "deep words here"
            + "</div>".repeat(depth)
            + "<p>after the nesting</p></body></html>";
    // Markup limits raised and a generous time budget: this part is about correctness (no stack
    // overflow, content after the nesting still read), not speed.
    PageExtractor patient =
        new PageExtractor(
            ExtractionLimits.defaults()
                .withParseBudget(Duration.ofSeconds(30))
                .withMarkup(new MarkupLimits(100_000, 100_000, 128, 100_000, 100_000, 1_000_000)));
    ExtractedPage page = patient.extractHtml(html);
    assertThat(page.body()).contains("deep words here").contains("after the nesting");
    assertThat(page.truncated()).isFalse();
    // With the default limits the nesting is flattened past the depth limit: all text is kept and
    // the
    // reason is stated.
    ExtractedPage bounded = extractor.extractHtml(html);
    assertThat(bounded.body()).isEqualTo("deep words here after the nesting");
    assertThat(bounded.truncationReasons()).containsExactly("max_depth");
  }

  @Test
  void parseStopsAtTheTimeBudgetAndKeepsWhatWasRead() {
    PageExtractor hurried =
        new PageExtractor(ExtractionLimits.defaults().withParseBudget(Duration.ofNanos(1)));
    StringBuilder html = new StringBuilder("<html><body><p>first paragraph</p>");
    for (int i = 0; i < 5_000; i++) {
      html.append("<p>paragraph ").append(i).append("</p>");
    }
    ExtractedPage page =
        hurried.extractHtml(html.append("<p>the very end</p></body></html>").toString());
    assertThat(page.truncationReasons()).contains("parse_budget");
    assertThat(page.body()).startsWith("first paragraph").doesNotContain("the very end");
  }

  @Test
  void textIsCutAtTheCharacterLimit() {
    PageExtractor small =
        new PageExtractor(new ExtractionLimits(1 << 20, 50, Duration.ofSeconds(1), 90, 16));
    ExtractedPage page = small.extractText("word ".repeat(100));
    assertThat(page.body()).hasSizeLessThanOrEqualTo(50);
    assertThat(page.truncationReasons()).containsExactly("max_text_chars");
    ExtractedPage html =
        small.extractHtml("<title>Title</title><p>" + "word ".repeat(100) + "</p>");
    assertThat(html.textChars()).isLessThanOrEqualTo(50);
    assertThat(html.title()).isEqualTo("Title");
    assertThat(html.truncated()).isTrue();
  }

  @Test
  void plainTextIsNormalizedNotParsed() {
    ExtractedPage page = extractor.extractText("  <b>not a tag</b>\n\tline\u00A0two\u200B  ");
    assertThat(page.body()).isEqualTo("<b>not a tag</b> line two");
    assertThat(page.inputKind()).isEqualTo("text");
  }

  @Test
  void emptyAndScriptOnlyPagesHaveNoText() {
    assertThat(extractor.extractHtml("").isEmpty()).isTrue();
    assertThat(
            extractor
                .extractHtml("<html><script>var a = 1;</script><style>p{}</style></html>")
                .isEmpty())
        .isTrue();
    assertThat(extractor.extractText("   ").isEmpty()).isTrue();
  }

  @Test
  void nonEnglishPagesGetTheUndeterminedHint() {
    ExtractedPage german =
        extractor.extractHtml(
            "<title>Online Spielothek</title><p>Spielen Sie jetzt die besten Spielautomaten und gewinnen Sie "
                + "echtes Geld mit unserem Willkommensbonus für neue Spieler.</p>");
    ExtractedPage russian = extractor.extractText("Играйте в лучшие игровые автоматы онлайн");
    assertThat(german.language()).isEqualTo(LanguageHint.UNDETERMINED);
    assertThat(russian.language()).isEqualTo(LanguageHint.UNDETERMINED);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PageExtractorTest.class.getResourceAsStream("/extract/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
