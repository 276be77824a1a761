package dev.sieve.lab.data.texts;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * Text cleaning shared by every text source, so that a tweet, a Reddit post and a prompt are
 * cleaned by the same rules (and a model never learns a source from its cleaning artefacts).
 *
 * <ul>
 *   <li>HTML entities decoded (repeatedly: Davidson tweets are double-escaped, {@code
 *       &amp;#8220;}).
 *   <li>URLs replaced by {@value #URL}, user handles ({@code @name}, {@code u/name}) by {@value
 *       #USER}: consistent placeholders, no personal handles in the dataset.
 *   <li>Control characters removed, whitespace collapsed (newlines kept as single newlines).
 * </ul>
 *
 * <p>{@link #dedupKey} gives the near-exact duplicate key: lower case, placeholders and retweet
 * markers removed, only letters and digits kept, so "RT @a: Hello!!" and "hello" collide.
 */
public final class TextCleaner {

  public static final String URL = "<url>";
  public static final String USER = "@user";

  private static final Pattern URL_PATTERN =
      Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+|\\bhttps?(?:…|\\.\\.\\.)");
  private static final Pattern HANDLE = Pattern.compile("(?<![\\w@])@[A-Za-z0-9_]{1,30}\\b");
  private static final Pattern REDDIT_USER =
      Pattern.compile("(?<![\\w/])/?u/[A-Za-z0-9_-]{3,20}\\b");
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u200B-\\u200D\\uFEFF]");
  private static final Pattern SPACES = Pattern.compile("[ \\t\\u00A0]+");
  private static final Pattern NEWLINES = Pattern.compile("\\s*\\n\\s*");
  private static final Pattern KEY_DROP = Pattern.compile("<url>|@user|\\brt\\b");
  private static final Pattern NON_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");

  private TextCleaner() {}

  /** Decodes HTML entities until stable (at most 3 rounds). */
  public static String decodeEntities(String s) {
    String current = s;
    for (int i = 0; i < 3 && current.indexOf('&') >= 0; i++) {
      String next = Parser.unescapeEntities(current, false);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  /** Full cleaning: entities, placeholders, control characters, whitespace. */
  public static String clean(String raw) {
    String s = decodeEntities(raw);
    s = URL_PATTERN.matcher(s).replaceAll(URL);
    s = HANDLE.matcher(s).replaceAll(USER);
    s = REDDIT_USER.matcher(s).replaceAll("u/user");
    return whitespace(s);
  }

  /** Control characters removed, runs of spaces collapsed, trimmed. */
  public static String whitespace(String s) {
    String out = CONTROL.matcher(s).replaceAll(" ");
    out = out.replace("\r\n", "\n").replace('\r', '\n');
    out = SPACES.matcher(out).replaceAll(" ");
    out = NEWLINES.matcher(out).replaceAll("\n");
    return out.strip();
  }

  /** Near-exact duplicate key. */
  public static String dedupKey(String cleaned) {
    String s = cleaned.toLowerCase(Locale.ROOT);
    s = KEY_DROP.matcher(s).replaceAll(" ");
    s = NON_ALNUM.matcher(s).replaceAll(" ");
    return s.strip();
  }
}
