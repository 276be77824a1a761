package dev.sieve.content.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies {@link MarkupLimits} to raw HTML before jsoup parses it, in linear time and without
 * building a tree: after the last start tag within the tag limit, markup is replaced by spaces (its
 * text stays, scripts, styles and comments go with their content); the page ends before the first
 * character reference over its limit or when its text passes the page-text limit; tags that would
 * nest deeper than the depth limit are replaced by a space (their text stays); attributes past the
 * per-tag limit are dropped.
 *
 * <p>Why before parsing and not inside it: jsoup offers no hook per token, and what makes these
 * pages expensive (tree depth, one huge tag, hundreds of thousands of nodes) is paid while the
 * parser builds the tree, before any element completes; a linear scan over the string costs a few
 * milliseconds for the largest body the tier accepts.
 *
 * <p>The hard bounds do not depend on reading the markup the way the parser does: start tags are
 * counted as every {@code <} followed by an ASCII letter and character references as every {@code
 * &}, anywhere in the page (scripts, comments and attribute values included), and after the tag
 * limit no {@code <} is left at all, so the parser can never see more than the limits. The depth
 * and attribute rewrites follow the HTML tokenizer (quoted attribute values, comments, and the raw
 * text of script, style, textarea, title and the like are skipped, so a script's {@code a<b} does
 * not count as nesting); where a crafted page reads differently to jsoup than to this scan, the tag
 * limit still bounds the parser's work.
 *
 * <p>Thread-safe: holds only the limits.
 */
public final class MarkupGuard {

  /** What the guard did to one page. */
  public record Result(
      String html,
      List<String> reasons,
      int tags,
      int entities,
      int droppedTags,
      int droppedAttributes) {

    public Result {
      reasons = List.copyOf(reasons);
    }

    public boolean changed() {
      return !reasons.isEmpty();
    }
  }

  private static final Set<String> VOID =
      Set.of(
          "area",
          "base",
          "basefont",
          "bgsound",
          "br",
          "col",
          "embed",
          "frame",
          "hr",
          "img",
          "input",
          "keygen",
          "link",
          "meta",
          "param",
          "source",
          "track",
          "wbr");

  /** Elements whose content the tokenizer reads as text up to their end tag (outside svg/math). */
  private static final Set<String> RAW_TEXT =
      Set.of("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes");

  /** Elements a following sibling of the same name closes implicitly ({@code <li>a<li>b}). */
  private static final Set<String> IMPLIED_END =
      Set.of(
          "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rp", "rt", "rtc");

  /** Start tags that close an open {@code <p>} (HTML's "close a p element"). */
  private static final Set<String> CLOSES_P =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "details",
          "div",
          "dl",
          "fieldset",
          "figure",
          "footer",
          "form",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "header",
          "hr",
          "main",
          "nav",
          "ol",
          "p",
          "pre",
          "section",
          "table",
          "ul");

  private static final int MAX_NAME_CHARS = 32;

  private final MarkupLimits limits;

  public MarkupGuard(MarkupLimits limits) {
    this.limits = limits;
  }

  public MarkupLimits limits() {
    return limits;
  }

  /** The page within the limits (the same string when nothing was over them). */
  public Result apply(String html) {
    return new Scan(html, limits).run();
  }

  /** One pass over one page. */
  private static final class Scan {
    private final String html;
    private final MarkupLimits limits;
    private final List<String> reasons = new ArrayList<>();
    private final String[] stack;
    private int depth;
    private int foreign;
    private int suppressed;
    private int end;
    private int pageEnd;
    private long textChars;
    private int tagCut;
    private int entityCut;
    private int tags;
    private int entities;
    private int droppedTags;
    private int droppedAttributes;
    private StringBuilder out;
    private int copied;

    Scan(String html, MarkupLimits limits) {
      this.html = html;
      this.limits = limits;
      this.stack = new String[limits.maxDepth()];
      this.end = html.length();
      this.pageEnd = html.length();
    }

    Result run() {
      applyHardCaps();
      // Up to the tag cap: the markup is read and its depth and attributes bounded.
      int i = 0;
      while (i < end) {
        int lt = html.indexOf('<', i);
        int textEnd = lt < 0 || lt >= end ? end : lt;
        if (!countText(i, textEnd)) {
          break;
        }
        if (lt < 0 || lt + 1 >= end) {
          break;
        }
        char next = html.charAt(lt + 1);
        if (isAsciiLetter(next)) {
          i = startTag(lt);
        } else if (next == '/') {
          i = lt + 2 < end && isAsciiLetter(html.charAt(lt + 2)) ? endTag(lt) : bogusComment(lt);
        } else if (next == '!') {
          i = html.startsWith("<!--", lt) ? comment(lt) : bogusComment(lt);
        } else if (next == '?') {
          i = bogusComment(lt);
        } else {
          i = lt + 1;
        }
      }
      // After it: markup is dropped (scripts, styles and comments with their content), text kept.
      if (end < pageEnd) {
        stripMarkup(end);
      }
      String result;
      if (out == null) {
        result = end == html.length() ? html : html.substring(0, end);
      } else {
        result = out.append(html, copied, end).toString();
      }
      return new Result(result, reasons, tags, entities, droppedTags, droppedAttributes);
    }

    /**
     * Counts page text in {@code [from, to)}; when it passes the limit, the page ends there (the
     * tier never uses more text than that) and false is returned.
     */
    private boolean countText(int from, int to) {
      long after = textChars + (to - from);
      if (after <= limits.maxPageTextChars()) {
        textChars = after;
        return true;
      }
      int cut = from + (int) (limits.maxPageTextChars() - textChars);
      textChars = limits.maxPageTextChars();
      end = cut;
      pageEnd = cut;
      // The page now ends before the other caps would have applied: only this one is the reason.
      if (cut <= tagCut && reasons.remove("max_tags")) {
        tags = countTags(cut);
      }
      if (cut < entityCut && reasons.remove("max_entities")) {
        entities = countEntities(cut);
      }
      reason("max_page_text");
      return false;
    }

    /**
     * Replaces every piece of markup from {@code from} on with a space: the parser sees text only.
     */
    private void stripMarkup(int from) {
      end = pageEnd;
      int i = from;
      while (i < end) {
        int lt = html.indexOf('<', i);
        int textEnd = lt < 0 || lt >= end ? end : lt;
        if (!countText(i, textEnd) || textEnd == end) {
          break;
        }
        int stop;
        if (startsWithIgnoreCase(lt + 1, "script") || startsWithIgnoreCase(lt + 1, "style")) {
          String name = startsWithIgnoreCase(lt + 1, "script") ? "script" : "style";
          int close = indexOfEndTag(name, lt + 1);
          int gt = close < 0 ? -1 : html.indexOf('>', close);
          stop = gt < 0 || gt >= end ? end : gt + 1;
        } else if (html.startsWith("<!--", lt)) {
          stop = comment(lt);
        } else {
          int gt = html.indexOf('>', lt + 1);
          stop = gt < 0 || gt >= end ? end : gt + 1;
        }
        replace(lt, stop, " ");
        i = stop;
      }
    }

    private boolean startsWithIgnoreCase(int at, String name) {
      return html.regionMatches(true, at, name, 0, name.length());
    }

    /**
     * Finds the tag cap (where markup stops being read) and the entity cap (where the page ends).
     */
    private void applyHardCaps() {
      tagCut = html.length();
      for (int lt = html.indexOf('<');
          lt >= 0 && lt + 1 < html.length();
          lt = html.indexOf('<', lt + 1)) {
        if (isAsciiLetter(html.charAt(lt + 1)) && ++tags > limits.maxTags()) {
          tagCut = lt;
          tags--;
          break;
        }
      }
      entityCut = html.length();
      for (int amp = html.indexOf('&'); amp >= 0; amp = html.indexOf('&', amp + 1)) {
        if (++entities > limits.maxEntities()) {
          entityCut = amp;
          entities--;
          break;
        }
      }
      pageEnd = entityCut;
      end = Math.min(tagCut, entityCut);
      if (entityCut < html.length()) {
        reasons.add("max_entities");
        entities = countEntities(entityCut);
      }
      if (tagCut < entityCut) {
        reasons.add("max_tags");
      } else {
        tags = countTags(end);
      }
    }

    private int countTags(int limit) {
      int count = 0;
      for (int lt = html.indexOf('<'); lt >= 0 && lt + 1 < limit; lt = html.indexOf('<', lt + 1)) {
        if (isAsciiLetter(html.charAt(lt + 1))) {
          count++;
        }
      }
      return count;
    }

    private int countEntities(int limit) {
      int count = 0;
      for (int amp = html.indexOf('&'); amp >= 0 && amp < limit; amp = html.indexOf('&', amp + 1)) {
        count++;
      }
      return count;
    }

    private int startTag(int lt) {
      int j = lt + 1;
      while (j < end
          && !isSpace(html.charAt(j))
          && html.charAt(j) != '/'
          && html.charAt(j) != '>') {
        j++;
      }
      String name = name(lt + 1, j);
      int attributes = 0;
      int dropFrom = -1;
      while (j < end) {
        char c = html.charAt(j);
        if (c == '>') {
          break;
        }
        if (isSpace(c) || c == '/') {
          j++;
          continue;
        }
        int attributeStart = j++;
        while (j < end && !isSpace(html.charAt(j)) && "/>=".indexOf(html.charAt(j)) < 0) {
          j++;
        }
        if (++attributes == limits.maxAttributesPerTag() + 1) {
          dropFrom = attributeStart;
        }
        j = skipValue(j);
      }
      int close = Math.min(j, end); // the '>' (or the end of the kept page)
      int tagEnd = close < end ? close + 1 : end;
      boolean selfClosing = close > lt + 1 && close < end && html.charAt(close - 1) == '/';

      boolean isVoid = VOID.contains(name) || (selfClosing && foreign > 0);
      if (depth > 0
          && ((IMPLIED_END.contains(name) && stack[depth - 1].equals(name))
              || (CLOSES_P.contains(name) && stack[depth - 1].equals("p")))) {
        pop();
      }
      if (!isVoid && depth >= limits.maxDepth()) {
        replace(lt, tagEnd, " ");
        droppedTags++;
        suppressed++;
        reason("max_depth");
        return tagEnd;
      }
      if (dropFrom >= 0) {
        replace(dropFrom, close, selfClosing ? "/" : "");
        droppedAttributes += attributes - limits.maxAttributesPerTag();
        reason("max_attributes");
      }
      if (isVoid) {
        return tagEnd;
      }
      push(name);
      if (foreign == 0 && RAW_TEXT.contains(name)) {
        int rawEnd = indexOfEndTag(name, tagEnd);
        return rawEnd < 0 ? end : rawEnd;
      }
      if (foreign == 0 && name.equals("plaintext")) {
        return end;
      }
      return tagEnd;
    }

    /** After an attribute name: skips {@code = value} (quoted or not) if present. */
    private int skipValue(int j) {
      int k = j;
      while (k < end && isSpace(html.charAt(k))) {
        k++;
      }
      if (k >= end || html.charAt(k) != '=') {
        return j;
      }
      k++;
      while (k < end && isSpace(html.charAt(k))) {
        k++;
      }
      if (k < end && (html.charAt(k) == '"' || html.charAt(k) == '\'')) {
        int quote = html.indexOf(html.charAt(k), k + 1);
        return quote < 0 || quote >= end ? end : quote + 1;
      }
      while (k < end && !isSpace(html.charAt(k)) && html.charAt(k) != '>') {
        k++;
      }
      return k;
    }

    private int endTag(int lt) {
      int j = lt + 2;
      while (j < end
          && !isSpace(html.charAt(j))
          && html.charAt(j) != '/'
          && html.charAt(j) != '>') {
        j++;
      }
      String name = name(lt + 2, j);
      while (j < end && html.charAt(j) != '>') {
        if (isSpace(html.charAt(j)) || html.charAt(j) == '/') {
          j++;
          continue;
        }
        j++;
        while (j < end && !isSpace(html.charAt(j)) && "/>=".indexOf(html.charAt(j)) < 0) {
          j++;
        }
        j = skipValue(j);
      }
      int tagEnd = j < end ? j + 1 : end;
      if (suppressed > 0) {
        // Closes a tag that was flattened: it goes too.
        replace(lt, tagEnd, " ");
        suppressed--;
        return tagEnd;
      }
      for (int k = depth - 1; k >= 0; k--) {
        if (stack[k].equals(name)) {
          while (depth > k) {
            pop();
          }
          break;
        }
      }
      return tagEnd;
    }

    private int comment(int lt) {
      if (html.startsWith("<!-->", lt)) {
        return lt + 5;
      }
      if (html.startsWith("<!--->", lt)) {
        return lt + 6;
      }
      int close = html.indexOf("-->", lt + 4);
      int bang = html.indexOf("--!>", lt + 4);
      if (bang >= 0 && (close < 0 || bang < close)) {
        return Math.min(bang + 4, end);
      }
      return close < 0 ? end : Math.min(close + 3, end);
    }

    private int bogusComment(int lt) {
      int close = html.indexOf('>', lt + 1);
      return close < 0 ? end : Math.min(close + 1, end);
    }

    private int indexOfEndTag(String name, int from) {
      for (int k = html.indexOf("</", from); k >= 0 && k < end; k = html.indexOf("</", k + 2)) {
        if (html.regionMatches(true, k + 2, name, 0, name.length())) {
          return k;
        }
      }
      return -1;
    }

    private void push(String name) {
      stack[depth++] = name;
      if (name.equals("svg") || name.equals("math")) {
        foreign++;
      }
    }

    private void pop() {
      String name = stack[--depth];
      stack[depth] = null;
      if (name.equals("svg") || name.equals("math")) {
        foreign--;
      }
    }

    private void replace(int from, int to, String replacement) {
      if (out == null) {
        out = new StringBuilder(end);
      }
      out.append(html, copied, from).append(replacement);
      copied = to;
    }

    private void reason(String reason) {
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
    }

    private String name(int from, int to) {
      return html.substring(from, Math.min(to, from + MAX_NAME_CHARS)).toLowerCase(Locale.ROOT);
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }
}
