package dev.sieve.llm.input;

import dev.sieve.core.url.NormalizedUrl;
import java.util.Optional;

/**
 * A validated request, reduced to what the backends score.
 *
 * @param pageText extracted page text ("" when the request carried only a URL)
 * @param url the normalized URL, when the request carried one
 * @param urlRendering the URL as words (host labels split, path tokens), "" without a URL
 */
public record ScoringInput(String pageText, Optional<NormalizedUrl> url, String urlRendering) {

  public ScoringInput {
    if (pageText.isBlank() && urlRendering.isBlank()) {
      throw new IllegalArgumentException("nothing to score");
    }
  }

  /**
   * TEXT when there is page text (the URL is then not scored by the embedded backend), else URL.
   */
  public InputKind kind() {
    return pageText.isBlank() ? InputKind.URL : InputKind.TEXT;
  }

  /**
   * What the embedded backend embeds: the page text, or the URL rendering for URL-only requests.
   */
  public String textToEmbed() {
    return kind() == InputKind.TEXT ? pageText : urlRendering;
  }

  /** The normalized URL (query redacted) for lineage, "" for text-only requests. */
  public String normalizedInput() {
    return url.map(NormalizedUrl::redacted).orElse("");
  }

  /** A text-only input (offline evaluation of texts). */
  public static ScoringInput ofText(String text) {
    return new ScoringInput(text, Optional.empty(), "");
  }
}
