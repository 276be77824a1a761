package dev.sieve.llm.input;

import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.Utf8;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.proto.v1.ScoreRequest;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Validates a {@link ScoreRequest} and reduces it to a {@link ScoringInput}.
 *
 * <p>Documented handling of bad input (each is INVALID_ARGUMENT, never INTERNAL):
 *
 * <ul>
 *   <li>no url, html or text: "empty request";
 *   <li>a url that core's {@link UrlNormalizer} rejects (also when text is present: a malformed URL
 *       is a caller bug that must not be hidden);
 *   <li>html or text that is binary (NUL bytes) or not valid UTF-8;
 *   <li>html/text without any text and no url: nothing to score.
 * </ul>
 *
 * <p>html wins over text when both are present (the {@code Classify} contract); scripts, styles and
 * markup are dropped by jsoup, the title is kept in front of the body text.
 */
public final class InputRenderer {

  public ScoringInput render(ScoreRequest request) throws ScoringException {
    Optional<NormalizedUrl> url = Optional.empty();
    if (!request.getUrl().isEmpty()) {
      try {
        url = Optional.of(UrlNormalizer.instance().normalize(request.getUrl()));
      } catch (UrlRejectedException e) {
        throw ScoringException.invalidArgument(
            "url rejected (" + e.reason() + "): " + e.getMessage());
      }
    }
    String text = "";
    if (!request.getHtml().isEmpty()) {
      text = htmlToText(decode(request.getHtml(), "html"));
    } else if (!request.getText().isEmpty()) {
      text = decode(request.getText(), "text").strip();
    }
    if (text.isBlank() && url.isEmpty()) {
      if (request.getHtml().isEmpty() && request.getText().isEmpty()) {
        throw ScoringException.invalidArgument("empty request: url, html or text is required");
      }
      throw ScoringException.invalidArgument("html/text contains no text and no url was given");
    }
    String rendering = url.map(UrlTextRenderer::render).orElse("");
    if (text.isBlank() && rendering.isBlank()) {
      throw ScoringException.invalidArgument("url has no words to score and no text was given");
    }
    return new ScoringInput(text, url, rendering);
  }

  private static String decode(ByteString bytes, String field) throws ScoringException {
    if (Utf8.looksBinary(bytes)) {
      throw ScoringException.invalidArgument(field + " looks binary (NUL bytes), not text");
    }
    return Utf8.decode(bytes, field);
  }

  static String htmlToText(String html) {
    Document document = Jsoup.parse(html);
    String title = document.title().strip();
    String body = document.body() == null ? "" : document.body().text().strip();
    if (title.isEmpty()) {
      return body;
    }
    return body.startsWith(title) ? body : title + ". " + body;
  }
}
