package dev.sieve.core.url;

/**
 * A URL reduced to the canonical form every part of Sieve agrees on: the verdict-cache key, the
 * known-domain lookup, the URL model's features and the dataset's grouping key all derive from it,
 * so two spellings of the same page can never get two different verdicts.
 *
 * @param scheme lower-case scheme (http, https, ws, wss, ftp)
 * @param host lower-case ASCII host (IDN in punycode, no trailing dot); IPv6 without brackets
 * @param port explicit non-default port, or -1
 * @param path percent-encoding-normalized path, always starting with '/'
 * @param query query string without '?', or "" (never logged: it may identify a student)
 * @param registeredDomain eTLD+1 under the full public suffix list (private suffixes such as
 *     blogspot.com count as suffixes), the grouping key for dataset splits; the host itself for IP
 *     literals and hosts without a known public suffix
 * @param registrableDomain eTLD+1 under ICANN suffixes only; the upper bound of parent-domain
 *     matching in the known-domain table
 * @param publicSuffix the public suffix (e.g. "co.uk"), "" for IP literals and unknown suffixes
 * @param ipLiteral true when the host is an IPv4 or IPv6 literal
 * @param hadUserinfo true when the original URL carried userinfo ({@code http://school.edu@evil/}),
 *     a classic trick to make a URL look like another site
 * @param unicodeHost the host for display (punycode decoded)
 */
public record NormalizedUrl(
    String scheme,
    String host,
    int port,
    String path,
    String query,
    String registeredDomain,
    String registrableDomain,
    String publicSuffix,
    boolean ipLiteral,
    boolean hadUserinfo,
    String unicodeHost) {

  /** The canonical URL string (scheme://host[:port]/path[?query]); the verdict-cache key. */
  public String canonical() {
    StringBuilder sb = new StringBuilder(scheme.length() + host.length() + path.length() + 16);
    sb.append(scheme).append("://");
    if (host.indexOf(':') >= 0) {
      sb.append('[').append(host).append(']');
    } else {
      sb.append(host);
    }
    if (port >= 0) {
      sb.append(':').append(port);
    }
    sb.append(path);
    if (!query.isEmpty()) {
      sb.append('?').append(query);
    }
    return sb.toString();
  }

  /** The URL without its query string: safe to log (query strings may identify a student). */
  public String redacted() {
    String full = canonical();
    int q = full.indexOf('?');
    return q < 0 ? full : full.substring(0, q) + "?<redacted>";
  }

  @Override
  public String toString() {
    return redacted();
  }
}
