package dev.sieve.content.extract;

import dev.sieve.core.util.Settings;

/**
 * Bounds on the markup structure of one page, so that HTML extraction costs at most a bounded
 * amount of CPU whatever arrives within the body limit (issue #12 item 4: 100,000 nested {@code
 * <div>}s, 300,000 unclosed tags, 400,000 entities or one tag with 300,000 attributes each cost the
 * tier seconds and tripped the router's breakers for everyone).
 *
 * <p>The parse time budget alone cannot do this: it is checked between completed elements, and a
 * page of unclosed or nested tags completes none until its end. These limits are counted before
 * parsing, in one linear pass ({@link MarkupGuard}), and what exceeds them is cut, flattened or
 * reduced to its text, never refused (a refused page would be "no opinion", an easy way around the
 * filter): the page is scored on what fits, and the response names the limit that was hit. Real
 * pages stay far below every default (a long article has a few thousand elements, nested a few
 * dozen deep, with a handful of attributes each).
 *
 * @param maxTags start tags parsed per page ({@code <} followed by a letter, counted everywhere,
 *     scripts and comments included, so the bound cannot be dodged); after the last one, markup is
 *     dropped and only text is kept ("max_tags")
 * @param maxDepth nesting depth kept; tags that would open deeper are replaced by a space, their
 *     text kept ("max_depth")
 * @param maxAttributesPerTag attributes kept per tag; the rest of that tag's attributes are dropped
 *     ("max_attributes")
 * @param maxEntities character references ({@code &}, counted everywhere) per page; the page is cut
 *     before the first one over the limit ("max_entities")
 * @param maxElements elements the parser may complete; parsing stops after ("max_elements"), a
 *     backstop for tree-construction rules that create elements the page does not spell out (the
 *     HTML "reconstruct the active formatting elements" step)
 * @param maxPageTextChars text (outside markup, scripts and comments) read per page; the page ends
 *     there ("max_page_text"). The tier keeps at most {@link ExtractionLimits#maxTextChars()} after
 *     boilerplate removal, so reading several times that is enough and a 2 MiB wall of text costs a
 *     fraction of its parse
 */
public record MarkupLimits(
    int maxTags,
    int maxDepth,
    int maxAttributesPerTag,
    int maxEntities,
    int maxElements,
    int maxPageTextChars) {

  public static final int DEFAULT_MAX_TAGS = 20_000;
  public static final int DEFAULT_MAX_DEPTH = 256;
  public static final int DEFAULT_MAX_ATTRIBUTES_PER_TAG = 128;
  public static final int DEFAULT_MAX_ENTITIES = 50_000;
  public static final int DEFAULT_MAX_ELEMENTS = 40_000;

  /**
   * Four times the default text kept per page ({@link ExtractionLimits#DEFAULT_MAX_TEXT_CHARS}).
   */
  public static final int DEFAULT_MAX_PAGE_TEXT_CHARS = 4 * ExtractionLimits.DEFAULT_MAX_TEXT_CHARS;

  public MarkupLimits {
    if (maxTags <= 0
        || maxDepth <= 0
        || maxAttributesPerTag <= 0
        || maxEntities <= 0
        || maxElements <= 0
        || maxPageTextChars <= 0) {
      throw new IllegalArgumentException("markup limits must be positive");
    }
  }

  public static MarkupLimits defaults() {
    return new MarkupLimits(
        DEFAULT_MAX_TAGS,
        DEFAULT_MAX_DEPTH,
        DEFAULT_MAX_ATTRIBUTES_PER_TAG,
        DEFAULT_MAX_ENTITIES,
        DEFAULT_MAX_ELEMENTS,
        DEFAULT_MAX_PAGE_TEXT_CHARS);
  }

  /**
   * From settings: SIEVE_CONTENT_MAX_TAGS, SIEVE_CONTENT_MAX_DEPTH, SIEVE_CONTENT_MAX_ATTRIBUTES,
   * SIEVE_CONTENT_MAX_ENTITIES, SIEVE_CONTENT_MAX_ELEMENTS, SIEVE_CONTENT_MAX_PAGE_TEXT_CHARS
   * (defaults above).
   */
  public static MarkupLimits fromSettings() {
    return new MarkupLimits(
        Settings.getInt("SIEVE_CONTENT_MAX_TAGS", DEFAULT_MAX_TAGS),
        Settings.getInt("SIEVE_CONTENT_MAX_DEPTH", DEFAULT_MAX_DEPTH),
        Settings.getInt("SIEVE_CONTENT_MAX_ATTRIBUTES", DEFAULT_MAX_ATTRIBUTES_PER_TAG),
        Settings.getInt("SIEVE_CONTENT_MAX_ENTITIES", DEFAULT_MAX_ENTITIES),
        Settings.getInt("SIEVE_CONTENT_MAX_ELEMENTS", DEFAULT_MAX_ELEMENTS),
        Settings.getInt("SIEVE_CONTENT_MAX_PAGE_TEXT_CHARS", DEFAULT_MAX_PAGE_TEXT_CHARS));
  }
}
