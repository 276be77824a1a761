package dev.sieve.llm.input;

import dev.sieve.core.url.NormalizedUrl;
import java.net.IDN;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a URL as words so that a sentence encoder can compare it with category descriptions.
 *
 * <p>This is the weakest input the tier accepts and the evidence says so: {@code chat.openai.com/c}
 * becomes {@code "chat openai com c"}. Host labels are kept whole (the encoder's WordPiece
 * tokenizer splits unknown words such as {@code chatgpt} into pieces itself) and split on hyphens,
 * underscores and letter/digit boundaries; {@code www} prefixes are dropped; the public suffix is
 * kept because it carries meaning ({@code .ai}, {@code .bet}, {@code .edu}). Path segments are
 * split into word tokens; pure numbers, long opaque ids and file extensions are dropped. The query
 * string is never used: it may identify a student and is mostly noise.
 */
public final class UrlTextRenderer {

  private static final int MAX_TOKENS = 32;
  private static final int MAX_TOKEN_CHARS = 24;
  private static final Set<String> NOISE =
      Set.of(
          "www", "www1", "www2", "m", "html", "htm", "php", "asp", "aspx", "jsp", "index", "cgi",
          "amp");

  private UrlTextRenderer() {}

  public static String render(NormalizedUrl url) {
    List<String> tokens = new ArrayList<>();
    if (url.ipLiteral()) {
      tokens.add("ip address");
    } else {
      String host = url.unicodeHost().isEmpty() ? url.host() : url.unicodeHost();
      for (String label : host.split("\\.")) {
        addWords(tokens, toUnicode(label));
      }
    }
    String path;
    try {
      path = URLDecoder.decode(url.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      path = url.path();
    }
    for (String segment : path.split("/")) {
      addWords(tokens, segment);
    }
    return String.join(" ", tokens.subList(0, Math.min(tokens.size(), MAX_TOKENS)));
  }

  private static String toUnicode(String label) {
    try {
      return IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return label;
    }
  }

  private static void addWords(List<String> tokens, String part) {
    for (String word :
        part.toLowerCase(Locale.ROOT)
            .split("[^\\p{L}\\p{N}]+|(?<=\\p{L})(?=\\p{N})|(?<=\\p{N})(?=\\p{L})")) {
      if (word.isEmpty() || NOISE.contains(word) || word.length() > MAX_TOKEN_CHARS) {
        continue;
      }
      if (word.chars().allMatch(Character::isDigit) && word.length() > 2) {
        continue;
      }
      tokens.add(word);
    }
  }
}
