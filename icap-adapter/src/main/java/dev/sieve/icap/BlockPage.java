package dev.sieve.icap;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The page a student sees instead of a blocked one: what kind of page it is (the category's name),
 * why in words a student understands, and the request id that lets staff find the verdict in
 * Sieve's logs.
 *
 * <p>"Ask for a review": Sieve has no {@code ReportVerdict} RPC yet, so there is nothing to file a
 * review with. When {@code SIEVE_ICAP_REVIEW_URL} is set (a school's own form or helpdesk, with
 * {@code {request_id}}, {@code {category}} and {@code {url}} placeholders, URL-encoded) the page
 * links to it; otherwise it asks the student to give the request id to a teacher. Replace this with
 * a ReportVerdict call when that RPC exists.
 */
public final class BlockPage {

  private static final Escaper HTML = HtmlEscapers.htmlEscaper();

  /** Why a category blocks, said to a student. Categories not listed get a generic sentence. */
  private static final Map<String, String> REASONS =
      Map.ofEntries(
          Map.entry("adult", "it has sexual content that is meant for adults only."),
          Map.entry("violence", "it shows or encourages violence or gore."),
          Map.entry(
              "self_harm",
              "it has content about hurting yourself. If things feel hard right now, please talk to a"
                  + " teacher, a counsellor or another adult you trust. In the US you can call or text 988 at any time."),
          Map.entry("weapons", "it sells weapons or shows how to make or change them."),
          Map.entry("drugs", "it promotes drugs, alcohol, vaping or tobacco."),
          Map.entry("gambling", "it is a gambling site: betting, casinos, poker or lotteries."),
          Map.entry(
              "hate",
              "it attacks people for who they are (their race, religion, gender, sexuality or disability)."),
          Map.entry("dating", "it is a dating site."),
          Map.entry("chat", "it is a chat or messaging site that your school does not allow."),
          Map.entry(
              "proxy_circumvention", "it is a tool for getting around the school's web filter."),
          Map.entry(
              "security_threat",
              "it may be dangerous: it could steal passwords or put harmful software on your device."),
          Map.entry(
              "piracy", "it shares games, films, music, books or software without permission."));

  private static final String UNAVAILABLE_REASON =
      "the filter could not check this page just now, and your school's settings say to block pages"
          + " that cannot be checked. Please try again in a minute.";

  private final Taxonomy taxonomy;
  private final Optional<String> reviewUrlTemplate;

  public BlockPage(Taxonomy taxonomy, Optional<String> reviewUrlTemplate) {
    this.taxonomy = taxonomy;
    this.reviewUrlTemplate = reviewUrlTemplate.filter(t -> !t.isBlank());
  }

  /** The sentence finishing "This page is blocked because ..." for a category id. */
  public String reason(String categoryId) {
    String reason = REASONS.get(categoryId);
    if (reason != null) {
      return reason;
    }
    return "your school's rules block pages about "
        + displayName(categoryId).toLowerCase(Locale.ROOT)
        + ".";
  }

  /** The category's name as people say it ("Gambling"); the id when it is not in the taxonomy. */
  public String displayName(String categoryId) {
    return taxonomy.find(categoryId).map(Category::displayName).orElse(categoryId);
  }

  /** A page for a verdict that blocks in {@code categoryId}. */
  public String forCategory(String categoryId, String url, String requestId) {
    return render(displayName(categoryId), reason(categoryId), categoryId, url, requestId);
  }

  /** A page for a fail-closed block: Sieve could not answer. */
  public String forUnavailable(String url, String requestId) {
    return render("Not checked", UNAVAILABLE_REASON, "unavailable", url, requestId);
  }

  private String render(
      String title, String reason, String categoryId, String url, String requestId) {
    StringBuilder page = new StringBuilder(2048);
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Blocked: ")
        .append(HTML.escape(title))
        .append("</title>")
        .append(
            "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#222}")
        .append("h1{font-size:1.6em}code{background:#eee;padding:.1em .3em}</style></head><body>\n")
        .append("<h1>This page is blocked</h1>\n")
        .append("<p class=\"category\">Category: <strong>")
        .append(HTML.escape(title))
        .append("</strong></p>\n")
        .append("<p class=\"reason\">This page is blocked because ")
        .append(HTML.escape(reason))
        .append("</p>\n")
        .append("<p class=\"url\">Address: <code>")
        .append(HTML.escape(abbreviate(url)))
        .append("</code></p>\n");
    if (reviewUrlTemplate.isPresent()) {
      String link =
          reviewUrlTemplate
              .get()
              .replace("{request_id}", encode(requestId))
              .replace("{category}", encode(categoryId))
              .replace("{url}", encode(url));
      page.append("<p class=\"review\">Think this is a mistake? <a href=\"")
          .append(HTML.escape(link))
          .append("\">Ask for a review</a>.</p>\n");
    } else {
      page.append(
          "<p class=\"review\">Think this is a mistake? Tell your teacher and give them the request id below.</p>\n");
    }
    page.append("<p class=\"request-id\">Request id: <code>")
        .append(HTML.escape(requestId))
        .append("</code></p>\n")
        .append("</body></html>\n");
    return page.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String url) {
    return url.length() <= 200 ? url : url.substring(0, 200) + "...";
  }
}
