package dev.sieve.lab.data.texts;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the Python list-of-strings literal the C-SSRS CSV stores per user ({@code ['post one',
 * "post two"]}), including Python's string escapes. Hand-written because no JSON parser accepts
 * single quotes with Python escapes, and eval-like parsing of data is not an option.
 */
public final class PythonListLiteral {

  private PythonListLiteral() {}

  /** Parsed strings and whether the literal was cut off inside its last string. */
  public record Parsed(List<String> strings, boolean truncated) {}

  /** The strings of the literal; IllegalArgumentException with the offset when malformed. */
  public static List<String> parse(String s) {
    return parse(s, false).strings();
  }

  /**
   * Like {@link #parse(String)}, but a literal that ends inside a string (a field cut off by a
   * spreadsheet's 32,767-character cell limit, as in the C-SSRS CSV) yields the complete strings
   * plus the cut-off one, with {@code truncated = true}.
   */
  public static Parsed parseAllowingTruncation(String s) {
    return parse(s, true);
  }

  private static Parsed parse(String s, boolean allowTruncation) {
    List<String> out = new ArrayList<>();
    int i = skip(s, 0);
    if (i >= s.length() || s.charAt(i) != '[') {
      throw new IllegalArgumentException("expected '[' at offset " + i);
    }
    i = skip(s, i + 1);
    if (i < s.length() && s.charAt(i) == ']') {
      return new Parsed(out, false);
    }
    while (true) {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated list");
      }
      char quote = s.charAt(i);
      if (quote != '\'' && quote != '"') {
        throw new IllegalArgumentException("expected a string at offset " + i);
      }
      StringBuilder sb = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) {
          if (allowTruncation) {
            out.add(sb.toString());
            return new Parsed(out, true);
          }
          throw new IllegalArgumentException("unterminated string");
        }
        char c = s.charAt(i);
        if (c == quote) {
          i++;
          break;
        }
        if (c == '\\' && i + 1 < s.length()) {
          char e = s.charAt(i + 1);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\', '\'', '"' -> sb.append(e);
            case 'x' -> {
              if (i + 4 > s.length()) {
                throw new IllegalArgumentException("truncated \\x escape at offset " + i);
              }
              sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
              i += 2;
            }
            case 'u' -> {
              if (i + 6 > s.length()) {
                throw new IllegalArgumentException("truncated \\u escape at offset " + i);
              }
              sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
              i += 4;
            }
            default -> sb.append('\\').append(e);
          }
          i += 2;
          continue;
        }
        sb.append(c);
        i++;
      }
      out.add(sb.toString());
      i = skip(s, i);
      if (i < s.length() && s.charAt(i) == ',') {
        i = skip(s, i + 1);
        if (i < s.length() && s.charAt(i) == ']') {
          return new Parsed(out, false);
        }
        continue;
      }
      if (i < s.length() && s.charAt(i) == ']') {
        return new Parsed(out, false);
      }
      throw new IllegalArgumentException("expected ',' or ']' at offset " + i);
    }
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
