package dev.sieve.content.extract;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.parser.StreamParser;
import org.jsoup.select.Elements;

/**
 * Turns raw HTML (or plain text) into the {@link ExtractedPage} the model reads.
 *
 * <p>The same instance of this code runs when training (texts from the dataset go through {@link
 * #extractText(String)}) and when serving, so there is no training/serving skew in what "the text
 * of a page" means.
 *
 * <p>Work is bounded in two steps. Before parsing, {@link MarkupGuard} applies the {@link
 * MarkupLimits} in one linear pass (too many tags or character references: the page is cut; too
 * deep: deeper tags are flattened; too many attributes on a tag: the rest are dropped), so the tree
 * jsoup builds is bounded whatever the page. Parsing then uses jsoup's {@link StreamParser}, which
 * builds the document incrementally: completed elements are counted against {@link
 * MarkupLimits#maxElements()} and, every few elements, the parse time budget is checked; when
 * either is spent the parse stops and what was read so far is scored. Every limit that was hit is
 * named in the page's truncation reasons (and so in the response's {@code normalized_input}). jsoup
 * copes with malformed markup the way browsers do (HTML5 tree construction), and every traversal
 * here is iterative, so a deep tree cannot overflow the stack.
 *
 * <p>Boilerplate removed from the body text: script, style, noscript, template, nav, footer, svg,
 * iframe, object, embed, form controls' option lists, and elements marked {@code hidden} or {@code
 * aria-hidden="true"}. Link anchors are collected from the whole page, navigation included (a
 * site's menu says what the site is).
 *
 * <p>Thread-safe: holds only immutable limits.
 */
public final class PageExtractor {

  private static final String BOILERPLATE =
      "script, style, noscript, template, nav, footer, svg, iframe, object, embed, select, "
          + "[hidden], [aria-hidden=true]";

  /** Completed elements between two checks of the parse budget (a clock read is not free). */
  private static final int BUDGET_CHECK_INTERVAL = 64;

  private static final int MAX_ANCHORS = 400;
  private static final int MAX_ALTS = 200;

  private final ExtractionLimits limits;
  private final MarkupGuard guard;

  public PageExtractor(ExtractionLimits limits) {
    this.limits = limits;
    this.guard = new MarkupGuard(limits.markup());
  }

  public ExtractionLimits limits() {
    return limits;
  }

  /**
   * Extracts a plain text (the {@code text} field of a request, or a dataset text when training).
   */
  public ExtractedPage extractText(String text) {
    List<String> reasons = new ArrayList<>();
    String body = TextNormalizer.normalize(text);
    if (body.length() > limits.maxTextChars()) {
      body = TextNormalizer.truncate(body, limits.maxTextChars());
      reasons.add("max_text_chars");
    }
    return new ExtractedPage(
        "text", "", "", "", "", body, "", "", LanguageHint.detect(body), reasons);
  }

  /** Parses and extracts an HTML page. Never throws on malformed markup. */
  public ExtractedPage extractHtml(String html) {
    List<String> reasons = new ArrayList<>();
    MarkupGuard.Result guarded = guard.apply(html);
    reasons.addAll(guarded.reasons());
    Document document = parseWithinBudget(guarded.html(), reasons);

    String title = TextNormalizer.normalize(document.title());
    String description =
        metaContent(document, "meta[name=description], meta[property=og:description]");
    String keywords = metaContent(document, "meta[name=keywords]");
    String anchors = distinctTexts(document.select("a[href]"), MAX_ANCHORS, false);
    String imageAlt = distinctTexts(document.select("img[alt]"), MAX_ALTS, true);

    // Boilerplate goes before headings and body are read.
    document.select(BOILERPLATE).remove();
    String headings = distinctTexts(document.select("h1, h2, h3, h4, h5, h6"), 200, false);
    Element bodyElement = document.body();
    String body = bodyElement == null ? "" : TextNormalizer.normalize(bodyElement.text());

    // Apply the text budget section by section, in order of information density.
    Budget budget = new Budget(limits.maxTextChars());
    title = budget.take(title);
    description = budget.take(description);
    keywords = budget.take(keywords);
    headings = budget.take(headings);
    body = budget.take(body);
    anchors = budget.take(anchors);
    imageAlt = budget.take(imageAlt);
    if (budget.exhausted) {
      reasons.add("max_text_chars");
    }

    String all = TextNormalizer.joinSentences(List.of(title, description, headings, body));
    String language = LanguageHint.detect(all.isEmpty() ? anchors : all);
    return new ExtractedPage(
        "html", title, description, keywords, headings, body, anchors, imageAlt, language, reasons);
  }

  private Document parseWithinBudget(String html, List<String> reasons) {
    long deadline = System.nanoTime() + limits.parseBudget().toNanos();
    StreamParser parser = new StreamParser(Parser.htmlParser());
    try {
      parser.parse(html, "");
      Iterator<Element> elements = parser.iterator();
      int completed = 0;
      while (elements.hasNext()) {
        elements.next();
        if (++completed > limits.markup().maxElements()) {
          parser.stop();
          reasons.add("max_elements");
          break;
        }
        if (completed % BUDGET_CHECK_INTERVAL == 0 && System.nanoTime() > deadline) {
          parser.stop();
          reasons.add("parse_budget");
          break;
        }
      }
      return parser.document();
    } finally {
      parser.close();
    }
  }

  private static String metaContent(Document document, String query) {
    Set<String> values = new LinkedHashSet<>();
    for (Element meta : document.select(query)) {
      String content = TextNormalizer.normalize(meta.attr("content"));
      if (!content.isEmpty()) {
        values.add(content);
      }
    }
    return TextNormalizer.joinSentences(new ArrayList<>(values));
  }

  private static String distinctTexts(Elements elements, int max, boolean altAttribute) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    for (Element element : elements) {
      String text = TextNormalizer.normalize(altAttribute ? element.attr("alt") : element.text());
      if (text.isEmpty() || !seen.add(text.toLowerCase(Locale.ROOT))) {
        continue;
      }
      out.add(text);
      if (out.size() >= max) {
        break;
      }
    }
    return TextNormalizer.joinSentences(out);
  }

  /** Remaining characters of the page's text budget. */
  private static final class Budget {
    private int left;
    private boolean exhausted;

    Budget(int chars) {
      this.left = chars;
    }

    String take(String text) {
      if (text.length() <= left) {
        left -= text.length();
        return text;
      }
      exhausted = true;
      String cut = TextNormalizer.truncate(text, left);
      left = 0;
      return cut;
    }
  }
}
