package dev.sieve.url.features;

/**
 * Namespaces of URL features. The one-letter prefix is part of the hashed string, so the same text
 * in two roles ("casino" as a host token and as a path token) gets two independent weights; the
 * display name is what evidence shows a reviewer.
 */
public enum FeatureKind {
  /** Public suffix under the full list, e.g. "co.uk", "blogspot.com". */
  SUFFIX('x', "public suffix"),
  /** Top-level label when the suffix has several labels, e.g. "uk". */
  TLD('l', "top-level domain"),
  /** The site label: the registered domain without its suffix, e.g. "pokerstars". */
  SITE('d', "site name"),
  /** A whole subdomain label, e.g. "casino" in casino.example.com ("www" is skipped). */
  SUBDOMAIN('s', "subdomain"),
  /** A word of a host label after splitting on hyphens/digits and word segmentation. */
  HOST_TOKEN('t', "host token"),
  /** Two adjacent host tokens of one label, e.g. "free+casino" (when enabled). */
  TOKEN_BIGRAM('b', "host word pair"),
  /** A character n-gram of the site label with ^ and $ boundary marks. */
  NGRAM('n', "char n-gram"),
  /** A character n-gram of a subdomain label (when enabled). */
  SUBDOMAIN_NGRAM('m', "subdomain n-gram"),
  /** A token of the path. */
  PATH_TOKEN('p', "path token"),
  /** A query-string key (never the value: values may identify a student). */
  QUERY_KEY('q', "query key"),
  /** Shape flags: ip literal, userinfo, port, punycode, length and digit buckets. */
  FLAG('f', "url flag");

  private final char prefix;
  private final String display;

  FeatureKind(char prefix, String display) {
    this.prefix = prefix;
    this.display = display;
  }

  public char prefix() {
    return prefix;
  }

  public String display() {
    return display;
  }

  /** {@code t:casino} becomes {@code host token "casino"}. */
  public static String describe(String name) {
    if (name.length() >= 2 && name.charAt(1) == ':') {
      for (FeatureKind kind : values()) {
        if (kind.prefix == name.charAt(0)) {
          return kind.display + " \"" + name.substring(2) + "\"";
        }
      }
    }
    return name;
  }
}
