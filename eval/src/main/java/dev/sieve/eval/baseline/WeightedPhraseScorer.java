package dev.sieve.eval.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classic content-filter baseline, in the style of e2guardian's weighted phrase lists: every
 * phrase (or combination of phrases that must all occur) found on the page adds its weight to its
 * category; "good phrases" with negative weights subtract from every category; a category is
 * flagged when its sum reaches the naughtiness limit (e2guardian's default for young children is
 * 50). Each phrase counts once per page (e2guardian's {@code weightedphrasemode = 2}).
 *
 * <p>The lists themselves are read at run time from an e2guardian installation ({@code
 * /etc/e2guardian/lists/phraselists}); they are not part of this repository. Phrase syntax: {@code
 * <phrase><weight>}, {@code <a>,<b><weight>}; spaces inside the angle brackets mark word boundaries
 * ({@code < bet >}); a weight may be a percentage of the limit ({@code <10%>}).
 *
 * <p>For ranking metrics the sum is mapped monotonically to [0, 1) as {@code s / (s + limit)} (sum
 * clamped at 0), so a score of 0.5 is exactly the naughtiness limit.
 */
public final class WeightedPhraseScorer {

  /** Category for good phrases: their (negative) weights apply to every category. */
  public static final String GENERAL = "*";

  /** e2guardian phrase-list directory to taxonomy id (English lists). */
  public static final Map<String, String> E2GUARDIAN_CATEGORIES = e2guardianMapping();

  private static final Pattern TOKEN = Pattern.compile("<([^<>]*)>");

  /**
   * One weighted entry.
   *
   * @param parts normalized phrases that must all occur
   * @param weight weight added to the category's sum
   * @param category taxonomy id or {@link #GENERAL}
   */
  public record Entry(List<String> parts, int weight, String category) {}

  private final List<Entry> entries;
  private final int limit;
  private final AhoCorasick matcher;
  private final int[][] entryParts;
  private final List<String> categories;

  public WeightedPhraseScorer(List<Entry> entries, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("naughtiness limit must be positive");
    }
    this.entries = List.copyOf(entries);
    this.limit = limit;
    Map<String, Integer> phraseIndex = new LinkedHashMap<>();
    entryParts = new int[entries.size()][];
    TreeSet<String> cats = new TreeSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      entryParts[i] =
          e.parts().stream()
              .mapToInt(p -> phraseIndex.computeIfAbsent(p, k -> phraseIndex.size()))
              .toArray();
      if (!e.category().equals(GENERAL)) {
        cats.add(e.category());
      }
    }
    this.matcher = new AhoCorasick(new ArrayList<>(phraseIndex.keySet()));
    this.categories = List.copyOf(cats);
  }

  /** Categories this scorer has phrases for. */
  public List<String> categories() {
    return categories;
  }

  public int limit() {
    return limit;
  }

  public int size() {
    return entries.size();
  }

  /** Weight sums per category (good phrases included). */
  public Map<String, Integer> sums(String text) {
    BitSet found = matcher.find(normalizeText(text));
    Map<String, Integer> sums = new TreeMap<>();
    int general = 0;
    for (String c : categories) {
      sums.put(c, 0);
    }
    for (int i = 0; i < entryParts.length; i++) {
      boolean all = true;
      for (int p : entryParts[i]) {
        if (!found.get(p)) {
          all = false;
          break;
        }
      }
      if (!all) {
        continue;
      }
      Entry e = entries.get(i);
      if (e.category().equals(GENERAL)) {
        general += e.weight();
      } else {
        sums.merge(e.category(), e.weight(), Integer::sum);
      }
    }
    if (general != 0) {
      for (String c : categories) {
        sums.merge(c, general, Integer::sum);
      }
    }
    return sums;
  }

  /** Scores in [0, 1): {@code max(sum, 0) / (max(sum, 0) + limit)}; 0.5 = the limit. */
  public Map<String, Double> score(String text) {
    Map<String, Double> out = new TreeMap<>();
    sums(text)
        .forEach(
            (c, s) -> {
              double v = Math.max(0, s);
              out.put(c, v / (v + limit));
            });
    return out;
  }

  /** Lower-cases and turns every non-letter, non-digit into a single space, padded at both ends. */
  public static String normalizeText(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append(' ');
    boolean space = true;
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if (Character.isLetterOrDigit(c)) {
        sb.append(c);
        space = false;
      } else if (!space) {
        sb.append(' ');
        space = true;
      }
    }
    if (!space) {
      sb.append(' ');
    }
    return sb.toString();
  }

  /** Normalizes a phrase the same way, keeping a leading/trailing space as a word boundary. */
  static String normalizePhrase(String phrase) {
    boolean lead = phrase.startsWith(" ");
    boolean trail = phrase.endsWith(" ") && phrase.length() > 1;
    String core = normalizeText(phrase).strip();
    if (core.isEmpty()) {
      return "";
    }
    return (lead ? " " : "") + core + (trail ? " " : "");
  }

  /**
   * Parses one phrase-list file's lines into entries of {@code category}; {@code .Include<path>}
   * lines are followed (absolute paths, or relative to {@code baseDir}).
   */
  public static List<Entry> parse(List<String> lines, String category, int limit, Path baseDir) {
    List<Entry> out = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith(".Include<")) {
        int end = line.indexOf('>');
        if (end > 9 && baseDir != null) {
          Path inc = Path.of(line.substring(9, end));
          Path resolved = inc.isAbsolute() ? inc : baseDir.resolve(inc);
          if (Files.isRegularFile(resolved)) {
            out.addAll(parse(readLenient(resolved), category, limit, resolved.getParent()));
          }
        }
        continue;
      }
      Matcher m = TOKEN.matcher(raw);
      List<String> tokens = new ArrayList<>();
      while (m.find()) {
        tokens.add(m.group(1));
      }
      if (tokens.size() < 2) {
        continue;
      }
      String w = tokens.get(tokens.size() - 1).strip();
      int weight;
      try {
        weight =
            w.endsWith("%")
                ? (int)
                    Math.round(
                        limit * Integer.parseInt(w.substring(0, w.length() - 1).strip()) / 100.0)
                : Integer.parseInt(w);
      } catch (NumberFormatException e) {
        continue; // not a weighted line
      }
      List<String> parts = new ArrayList<>();
      for (String p : tokens.subList(0, tokens.size() - 1)) {
        String n = normalizePhrase(p);
        if (!n.isBlank()) {
          parts.add(n);
        }
      }
      if (!parts.isEmpty() && weight != 0) {
        out.add(new Entry(parts, weight, category));
      }
    }
    return out;
  }

  /**
   * Loads the English weighted lists of an e2guardian phraselists directory with {@link
   * #E2GUARDIAN_CATEGORIES}; good phrases (general and news) apply to every category.
   *
   * @throws IllegalArgumentException when the directory has none of the expected lists
   */
  public static WeightedPhraseScorer loadE2guardian(Path phraselists, int limit) {
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, String> e : E2GUARDIAN_CATEGORIES.entrySet()) {
      Path dir = phraselists.resolve(e.getKey());
      List<String> files =
          e.getValue().equals(GENERAL)
              ? List.of("weighted_general", "weighted_news")
              : List.of("weighted");
      for (String f : files) {
        Path file = dir.resolve(f);
        if (Files.isRegularFile(file)) {
          entries.addAll(parse(readLenient(file), e.getValue(), limit, dir));
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "no e2guardian weighted phrase lists under " + phraselists);
    }
    return new WeightedPhraseScorer(entries, limit);
  }

  /** Reads a list as UTF-8, replacing undecodable bytes (several lists are Latin-1). */
  static List<String> readLenient(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read phrase list " + file, e);
    }
  }

  private static Map<String, String> e2guardianMapping() {
    Map<String, String> m = new TreeMap<>();
    m.put("pornography", "adult");
    m.put("nudism", "adult");
    m.put("gambling", "gambling");
    m.put("illegaldrugs", "drugs");
    m.put("drugadvocacy", "drugs");
    m.put("legaldrugs", "drugs");
    m.put("violence", "violence");
    m.put("gore", "violence");
    m.put("weapons", "weapons");
    m.put("intolerance", "hate");
    m.put("personals", "dating");
    m.put("chat", "chat");
    m.put("games", "games");
    m.put("proxies", "proxy_circumvention");
    m.put("malware", "security_threat");
    m.put("idtheft", "security_threat");
    m.put("warezhacking", "piracy");
    m.put("peer2peer", "piracy");
    m.put("news", "news");
    m.put("sport", "sports");
    m.put("goodphrases", GENERAL);
    return Collections.unmodifiableMap(m);
  }
}
