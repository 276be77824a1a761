package dev.sieve.content.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The markup budget's rewrites, checked on what jsoup then builds from the guarded page. */
class MarkupGuardTest {

  private static MarkupGuard guard(int maxTags, int maxDepth, int maxAttributes, int maxEntities) {
    return new MarkupGuard(
        new MarkupLimits(maxTags, maxDepth, maxAttributes, maxEntities, 1_000_000, 1_000_000));
  }

  /** Elements in the parsed document, without the html/head/body jsoup always adds. */
  static int elements(String html) {
    return Jsoup.parse(html).getAllElements().size() - 4;
  }

  static int depth(String html) {
    Document document = Jsoup.parse(html);
    int max = 0;
    for (Element element : document.getAllElements()) {
      max = Math.max(max, element.parents().size());
    }
    return max;
  }

  @Test
  void anOrdinaryPageIsLeftAlone() {
    String html =
        "<!DOCTYPE html><html><head><title>A &amp; B</title><script>if (a<b && c>d) {}</script></head>"
            + "<body><!-- <div><div> --><p class=\"x\" id='y' hidden>one<p>two<ul><li>a<li>b</ul></body></html>";
    MarkupGuard.Result result = guard(100, 4, 4, 100).apply(html);
    assertThat(result.html()).isSameAs(html);
    assertThat(result.reasons()).isEmpty();
    assertThat(result.changed()).isFalse();
    // Every '&' counts, the script's "&&" included: the bound must not depend on reading scripts.
    assertThat(result.entities()).isEqualTo(3);
  }

  @Test
  void afterTheTagLimitOnlyTextIsKept() {
    StringBuilder html = new StringBuilder("<html><body>");
    for (int i = 0; i < 50; i++) {
      html.append("<p class=\"c").append(i).append("\">word").append(i).append("</p>");
    }
    html.append("<script>var hidden = 1;</script><!-- note --><b>the end</b></body></html>");
    MarkupGuard.Result result = guard(20, 100, 10, 100).apply(html.toString());
    assertThat(result.reasons()).containsExactly("max_tags");
    assertThat(result.tags()).isEqualTo(20);
    assertThat(elements(result.html())).isLessThanOrEqualTo(20);
    String text = Jsoup.parse(result.html()).text();
    assertThat(text).contains("word0").contains("word49").contains("the end");
    assertThat(text).doesNotContain("hidden").doesNotContain("note").doesNotContain("class");
  }

  @Test
  void theTagLimitHoldsWhenMarkupHidesInCommentsOrQuotes() {
    // The scan could read the quote as open until the end; jsoup ends the comment at "-->".
    String html =
        "<!-- <a title=\" -->" + "<div>".repeat(1_000) + "text\"" + "</div>".repeat(1_000);
    MarkupGuard.Result result = guard(100, 1_000, 10, 100).apply(html);
    assertThat(elements(result.html())).isLessThanOrEqualTo(100);
    assertThat(Jsoup.parse(result.html()).text()).contains("text");
  }

  @Test
  void tagsBeyondTheDepthLimitAreFlattenedAndTheirTextKept() {
    String html =
        "<html><body>"
            + "<div>".repeat(300)
            + "deep words"
            + "</div>".repeat(300)
            + "<p>after</p></body></html>";
    MarkupGuard.Result result = guard(10_000, 50, 10, 100).apply(html);
    assertThat(result.reasons()).containsExactly("max_depth");
    // html and body are on the scan's stack too: 48 divs are kept, 252 flattened.
    assertThat(result.droppedTags()).isEqualTo(252);
    assertThat(depth(result.html())).isLessThanOrEqualTo(50);
    assertThat(Jsoup.parse(result.html()).select("body > p").text()).isEqualTo("after");
    assertThat(Jsoup.parse(result.html()).text()).isEqualTo("deep words after");
  }

  @Test
  void scriptsAndCommentsDoNotCountAsNesting() {
    String html =
        "<html><body><script>"
            + "if (i<n) {}".repeat(500)
            + "</script><!--"
            + "<div>".repeat(500)
            + "--><div><p>kept</p></div></body></html>";
    MarkupGuard.Result result = guard(10_000, 10, 10, 100).apply(html);
    assertThat(result.reasons()).isEmpty();
    assertThat(result.html()).isSameAs(html);
  }

  @Test
  void attributesPastTheLimitAreDropped() {
    StringBuilder html = new StringBuilder("<div");
    for (int i = 0; i < 1_000; i++) {
      html.append(" a").append(i).append(i % 2 == 0 ? "=\"v > w\"" : "");
    }
    html.append(">kept text</div><img src=x alt='fine' />");
    MarkupGuard.Result result = guard(100, 100, 16, 100).apply(html.toString());
    assertThat(result.reasons()).containsExactly("max_attributes");
    assertThat(result.droppedAttributes()).isEqualTo(984);
    Document document = Jsoup.parse(result.html());
    assertThat(document.selectFirst("div").attributes().size()).isEqualTo(16);
    assertThat(document.selectFirst("div").text()).isEqualTo("kept text");
    assertThat(document.selectFirst("img").attr("alt")).isEqualTo("fine");
  }

  @Test
  void thePageEndsAtTheEntityLimit() {
    String html = "<p>" + "&amp; ".repeat(100) + "</p><p>after</p>";
    MarkupGuard.Result result = guard(100, 100, 10, 10).apply(html);
    assertThat(result.reasons()).containsExactly("max_entities");
    assertThat(result.entities()).isEqualTo(10);
    assertThat(Jsoup.parse(result.html()).text()).isEqualTo("& & & & & & & & & &");
  }

  @Test
  void thePageEndsWhenItsTextPassesThePageTextLimit() {
    String html = "<p>" + "abcd ".repeat(1_000) + "</p><p>after</p>";
    MarkupGuard guard = new MarkupGuard(new MarkupLimits(100, 100, 10, 100, 1_000, 100));
    MarkupGuard.Result result = guard.apply(html);
    assertThat(result.reasons()).containsExactly("max_page_text");
    assertThat(Jsoup.parse(result.html()).text()).hasSize(99).doesNotContain("after");
  }
}
