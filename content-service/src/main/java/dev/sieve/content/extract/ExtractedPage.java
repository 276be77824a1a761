package dev.sieve.content.extract;

import java.util.List;

/**
 * What the content tier reads from one page or text: the sections a human would also look at to
 * decide what a page is about, already bounded by {@link ExtractionLimits}.
 *
 * <p>Sections are kept apart (instead of one blob) because they carry different signal and are
 * chunked under separate budgets: the title/description/headings summarize a page in a few words,
 * the body holds the substance, and link anchors/image alt texts reveal what a site is (a casino's
 * nav bar says "Slots | Poker | Live betting" even when its body is a cookie notice).
 *
 * @param inputKind "html" or "text"
 * @param title document title ("" when none)
 * @param description meta description / og:description
 * @param keywords meta keywords
 * @param headings h1-h6 texts in document order, joined
 * @param body visible body text with boilerplate (script, style, nav, footer, ...) removed
 * @param anchors distinct link anchor texts, joined
 * @param imageAlt distinct image alt texts, joined
 * @param language language hint: "en" or "und" (see {@link LanguageHint})
 * @param truncationReasons why the page was cut or simplified, empty when nothing was: "max_tags",
 *     "max_entities", "max_depth", "max_attributes" ({@link MarkupLimits}), "max_elements",
 *     "parse_budget", "max_text_chars"
 */
public record ExtractedPage(
    String inputKind,
    String title,
    String description,
    String keywords,
    String headings,
    String body,
    String anchors,
    String imageAlt,
    String language,
    List<String> truncationReasons) {

  public ExtractedPage {
    truncationReasons = List.copyOf(truncationReasons);
  }

  /** Total characters of extracted text over all sections. */
  public int textChars() {
    return title.length()
        + description.length()
        + keywords.length()
        + headings.length()
        + body.length()
        + anchors.length()
        + imageAlt.length();
  }

  public boolean isEmpty() {
    return textChars() == 0;
  }

  public boolean truncated() {
    return !truncationReasons.isEmpty();
  }

  /** Title, description, keywords and headings: the page's own summary of itself. */
  public String header() {
    return TextNormalizer.joinSentences(List.of(title, description, keywords, headings));
  }

  /** Link anchors and image alt texts. */
  public String links() {
    return TextNormalizer.joinSentences(List.of(anchors, imageAlt));
  }
}
