package dev.sieve.content.extract;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pathological pages of issue #12 item 4: each fits the 2 MiB body limit, is cheap to send, and
 * cost the content tier 1.5–4.1 s of CPU before extraction had budgets. Shared by the tests (which
 * assert the bounded outcome) and {@code ExtractionCostBench} (which times it).
 */
public final class PoisonPages {

  private PoisonPages() {}

  /** 100,000 nested {@code <div>}s around one sentence. */
  public static String nestedDivs(int depth) {
    StringBuilder out = new StringBuilder(depth * 11 + 64);
    out.append("<html><body>");
    out.append("<div>".repeat(depth));
    out.append("casino poker betting odds");
    out.append("</div>".repeat(depth));
    return out.append("</body></html>").toString();
  }

  /** 300,000 unclosed formatting tags, each followed by a word. */
  public static String unclosedTags(int tags) {
    StringBuilder out = new StringBuilder(tags * 5 + 64);
    out.append("<html><body>");
    for (int i = 0; i < tags; i++) {
      out.append("<b>w ");
    }
    return out.toString();
  }

  /** 400,000 character references in one paragraph. */
  public static String entities(int count) {
    return "<html><body><p>" + "&lt; ".repeat(count) + "</p></body></html>";
  }

  /** One tag carrying 300,000 distinct attributes. */
  public static String attributes(int count) {
    StringBuilder out = new StringBuilder(count * 7 + 64);
    out.append("<html><body><div");
    for (int i = 0; i < count; i++) {
      out.append(" a").append(Integer.toString(i, 36));
    }
    return out.append(">casino poker</div></body></html>").toString();
  }

  /** An ordinary-looking page of about {@code bytes} bytes: paragraphs, headings and links. */
  public static String largePage(int bytes) {
    String paragraph =
        "<h2>Section</h2><p>Students read the chapter about rivers, mountains and the water cycle, then "
            + "answer the questions at the end and compare notes with a partner before class.</p>"
            + "<a href=\"/next\">next page</a>\n";
    StringBuilder out = new StringBuilder(bytes + paragraph.length());
    out.append("<html><head><title>Geography notes</title></head><body>");
    while (out.length() + paragraph.length() + 16 < bytes) {
      out.append(paragraph);
    }
    return out.append("</body></html>").toString();
  }

  /** The five inputs of the issue, by name, at the issue's sizes. */
  public static Map<String, String> ofIssue12() {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("100k nested divs", nestedDivs(100_000));
    pages.put("300k unclosed tags", unclosedTags(300_000));
    pages.put("400k entities", entities(400_000));
    pages.put("300k attributes on one tag", attributes(300_000));
    pages.put("1.9 MiB page", largePage(1_990_000));
    return pages;
  }

  public static int utf8Bytes(String page) {
    return page.getBytes(StandardCharsets.UTF_8).length;
  }
}
