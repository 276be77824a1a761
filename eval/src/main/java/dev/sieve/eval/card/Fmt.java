package dev.sieve.eval.card;

import dev.sieve.eval.report.Estimate;
import java.util.Locale;

/**
 * Fixed number formatting for cards: locale-independent, so output never depends on the machine.
 */
final class Fmt {

  static final String NA = "n/a";

  private Fmt() {}

  static String num(Double v) {
    return v == null || v.isNaN() ? NA : String.format(Locale.ROOT, "%.3f", v);
  }

  static String num(Double v, int decimals) {
    return v == null || v.isNaN() ? NA : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String est(Estimate e) {
    if (e == null || e.value() == null) {
      return NA;
    }
    if (e.lower() == null || e.upper() == null) {
      return num(e.value());
    }
    return num(e.value()) + " [" + num(e.lower()) + ", " + num(e.upper()) + "]";
  }

  static String pct(Double v) {
    return v == null || v.isNaN() ? NA : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  static String pct(Estimate e) {
    if (e == null || e.value() == null) {
      return NA;
    }
    if (e.lower() == null || e.upper() == null) {
      return pct(e.value());
    }
    return pct(e.value()) + " [" + pct(e.lower()) + ", " + pct(e.upper()) + "]";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String opt(Long v) {
    return v == null ? NA : String.valueOf(v);
  }

  /** Text safe inside a Markdown table cell (also used for list items). */
  static String md(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("`", "\\`")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replaceAll("[\\r\\n\\t]+", " ");
  }

  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /** SVG coordinate with one decimal. */
  static String xy(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
