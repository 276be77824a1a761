package dev.sieve.content.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Baseline: an e2guardian-style weighted phrase scorer, reading e2guardian's own phrase lists at
 * run time (Debian package e2guardian 5.3.5, {@code /etc/e2guardian/lists/phraselists}; not
 * committed, and not needed by tests).
 *
 * <p>Semantics follow e2guardian: the page is lower-cased with whitespace collapsed ("smart" mode),
 * a line {@code <phrase><weight>} adds its weight when the phrase occurs (spaces inside the angle
 * brackets mark word boundaries, {@code < bet >}), a line {@code <a>,<b><weight>} when all parts
 * occur, each phrase counting once per page ({@code weightedphrasemode = 2}, the packaged default).
 * The "good phrases" lists (negative weights) apply to every category, as they lower e2guardian's
 * single page total. One score per taxonomy category is the sum over the lists mapped to it;
 * e2guardian blocks at its naughtiness limit (50 = "young children" in the packaged config). Only
 * the English lists are read. Approximation: punctuation is also tried as a word boundary.
 */
public final class PhraseListScorer {

  /** e2guardian's packaged naughtiness limit ({@code naughtynesslimit = 50}). */
  public static final int E2GUARDIAN_NAUGHTINESS_LIMIT = 50;

  /** Which e2guardian lists stand for which taxonomy category. */
  static final Map<String, List<String>> CATEGORY_LISTS = new LinkedHashMap<>();

  static {
    CATEGORY_LISTS.put("adult", List.of("pornography/weighted", "nudism/weighted"));
    CATEGORY_LISTS.put("violence", List.of("violence/weighted", "gore/weighted"));
    CATEGORY_LISTS.put("weapons", List.of("weapons/weighted"));
    CATEGORY_LISTS.put(
        "drugs", List.of("illegaldrugs/weighted", "drugadvocacy/weighted", "legaldrugs/weighted"));
    CATEGORY_LISTS.put("gambling", List.of("gambling/weighted"));
    CATEGORY_LISTS.put("hate", List.of("intolerance/weighted"));
    CATEGORY_LISTS.put("dating", List.of("personals/weighted"));
    CATEGORY_LISTS.put("games", List.of("games/weighted"));
    CATEGORY_LISTS.put("chat", List.of("chat/weighted"));
    CATEGORY_LISTS.put("proxy_circumvention", List.of("proxies/weighted"));
    CATEGORY_LISTS.put("piracy", List.of("warezhacking/weighted", "peer2peer/weighted"));
    CATEGORY_LISTS.put("security_threat", List.of("malware/weighted", "idtheft/weighted"));
    CATEGORY_LISTS.put("news", List.of("news/weighted"));
    CATEGORY_LISTS.put("sports", List.of("sport/weighted"));
  }

  static final List<String> GOOD_PHRASE_LISTS =
      List.of("goodphrases/weighted_general", "goodphrases/weighted_news");

  private static final Pattern LINE =
      Pattern.compile("^((?:<[^<>]*>\\s*,\\s*)*<[^<>]*>)\\s*<(-?\\d+)>");
  private static final Pattern PART = Pattern.compile("<([^<>]*)>");

  /** One weighted phrase line: all parts must occur. */
  record Phrase(String[] parts, int weight) {}

  private final Map<String, List<Phrase>> byCategory;
  private final List<Phrase> goodPhrases;

  PhraseListScorer(Map<String, List<Phrase>> byCategory, List<Phrase> goodPhrases) {
    this.byCategory = byCategory;
    this.goodPhrases = goodPhrases;
  }

  /**
   * Reads the lists under e2guardian's {@code phraselists} directory. Missing lists are skipped.
   */
  public static PhraseListScorer load(Path phraselists) {
    Map<String, List<Phrase>> byCategory = new LinkedHashMap<>();
    CATEGORY_LISTS.forEach(
        (category, lists) -> {
          List<Phrase> phrases = new ArrayList<>();
          for (String list : lists) {
            phrases.addAll(read(phraselists.resolve(list)));
          }
          if (!phrases.isEmpty()) {
            byCategory.put(category, phrases);
          }
        });
    List<Phrase> good = new ArrayList<>();
    for (String list : GOOD_PHRASE_LISTS) {
      good.addAll(read(phraselists.resolve(list)));
    }
    return new PhraseListScorer(byCategory, good);
  }

  static List<Phrase> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<Phrase> out = new ArrayList<>();
      for (String raw : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
        Phrase phrase = parse(raw);
        if (phrase != null) {
          out.add(phrase);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read phrase list " + file, e);
    }
  }

  /** Parses one list line; null for comments, includes and malformed lines. */
  static Phrase parse(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#") || line.startsWith(".")) {
      return null;
    }
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Matcher p = PART.matcher(m.group(1));
    while (p.find()) {
      String part = p.group(1).toLowerCase(Locale.ROOT);
      if (!part.isBlank()) {
        parts.add(part);
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    return new Phrase(parts.toArray(String[]::new), Integer.parseInt(m.group(2)));
  }

  public List<String> categories() {
    return List.copyOf(byCategory.keySet());
  }

  public boolean hasCategory(String category) {
    return byCategory.containsKey(category);
  }

  /** Phrase-weight totals per category; NaN for categories without a list. */
  public double[] score(String text, List<String> categories) {
    String lower = " " + text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ") + " ";
    String spaced = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']+", " ") + " ";
    int good = total(goodPhrases, lower, spaced);
    double[] out = new double[categories.size()];
    for (int k = 0; k < categories.size(); k++) {
      List<Phrase> phrases = byCategory.get(categories.get(k));
      out[k] = phrases == null ? Double.NaN : total(phrases, lower, spaced) + good;
    }
    return out;
  }

  private static int total(List<Phrase> phrases, String lower, String spaced) {
    int sum = 0;
    for (Phrase phrase : phrases) {
      boolean all = true;
      for (String part : phrase.parts()) {
        if (!lower.contains(part) && !spaced.contains(part)) {
          all = false;
          break;
        }
      }
      if (all) {
        sum += phrase.weight();
      }
    }
    return sum;
  }
}
