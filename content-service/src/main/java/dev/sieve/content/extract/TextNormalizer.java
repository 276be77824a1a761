package dev.sieve.content.extract;

import java.util.List;

/**
 * Whitespace and control-character normalization shared by extraction, chunking and training.
 *
 * <p>One implementation for every path, so a text scored at serving time is byte-for-byte the text
 * the model was trained on.
 */
public final class TextNormalizer {

  private TextNormalizer() {}

  /**
   * Collapses runs of whitespace (including non-breaking and zero-width spaces) to one space, drops
   * other control characters, and trims.
   */
  public static String normalize(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F') {
        pendingSpace = true;
        continue;
      }
      if (c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\uFEFF') {
        continue;
      }
      if (Character.isISOControl(c)) {
        pendingSpace = true;
        continue;
      }
      if (pendingSpace && out.length() > 0) {
        out.append(' ');
      }
      pendingSpace = false;
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Joins non-empty pieces into one text, adding ". " between pieces that do not already end a
   * sentence, so the encoder sees separate statements rather than one run-on phrase.
   */
  public static String joinSentences(List<String> pieces) {
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      if (piece == null || piece.isBlank()) {
        continue;
      }
      if (out.length() > 0) {
        char last = out.charAt(out.length() - 1);
        out.append(isTerminal(last) ? " " : ". ");
      }
      out.append(piece.strip());
    }
    return out.toString();
  }

  private static boolean isTerminal(char c) {
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '|';
  }

  /** {@code text} cut to at most {@code maxChars} characters, never splitting a surrogate pair. */
  public static String truncate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** A short single-line preview for evidence and logs: at most {@code maxChars}, ending in "…". */
  public static String abbreviate(String text, int maxChars) {
    String flat = normalize(text);
    if (flat.length() <= maxChars) {
      return flat;
    }
    int cut = flat.lastIndexOf(' ', maxChars - 1);
    if (cut < maxChars / 2) {
      cut = maxChars - 1;
    }
    return truncate(flat, cut).stripTrailing() + "…";
  }
}
