package dev.sieve.content.extract;

import java.util.Locale;
import java.util.Set;

/**
 * A deliberately simple English/other hint: the share of letters that are ASCII plus the share of
 * words that are common English function words.
 *
 * <p>The encoder (all-MiniLM-L6-v2) and the head were trained on English text, so scores on other
 * languages are less reliable. The tier still scores them (a German casino is still a casino, and
 * the multilingual fallback is the LLM tier's job) but reports the hint in every response, so the
 * router and an engineer reviewing a verdict can see it. A full language identifier would be a
 * model of its own; this hint only needs to separate "English" from "probably not".
 */
public final class LanguageHint {

  public static final String ENGLISH = "en";
  public static final String UNDETERMINED = "und";

  private static final int SAMPLE_CHARS = 8_000;

  private static final Set<String> STOPWORDS =
      Set.of(
          "the", "and", "of", "to", "a", "in", "is", "it", "you", "that", "for", "on", "with",
          "are", "this", "was", "be", "as", "have", "not", "but", "at", "by", "from", "or", "your",
          "i", "we", "they", "he", "she", "my", "me", "an", "will", "can", "all", "if", "so",
          "what", "there", "their", "about", "more", "do", "has", "our", "out", "up", "just",
          "like", "no", "when", "how", "who", "which", "get", "one", "would", "been", "were",
          "them", "his", "her", "than", "its", "into", "only", "also", "some", "any", "these",
          "those", "here", "now", "am", "im", "dont", "u");

  private LanguageHint() {}

  /** "en" when the text looks English, "und" otherwise (including empty text). */
  public static String detect(String text) {
    if (text == null || text.isBlank()) {
      return UNDETERMINED;
    }
    String sample = text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
    int letters = 0;
    int asciiLetters = 0;
    for (int i = 0; i < sample.length(); i++) {
      char c = sample.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        if (c < 128) {
          asciiLetters++;
        }
      }
    }
    if (letters == 0 || asciiLetters < 0.9 * letters) {
      return UNDETERMINED;
    }
    int words = 0;
    int stopwordHits = 0;
    for (String token : sample.toLowerCase(Locale.ROOT).split("[^a-z']+")) {
      if (token.isEmpty()) {
        continue;
      }
      words++;
      if (STOPWORDS.contains(token.replace("'", ""))) {
        stopwordHits++;
      }
    }
    if (words == 0) {
      return UNDETERMINED;
    }
    // Short texts (tweets, titles) carry few function words: one hit in a handful of words counts.
    if (words < 8) {
      return stopwordHits >= 1 ? ENGLISH : UNDETERMINED;
    }
    return stopwordHits >= 0.12 * words ? ENGLISH : UNDETERMINED;
  }
}
