package dev.sieve.url.features;

import dev.sieve.core.url.NormalizedUrl;

/**
 * THE featurizer of the url tier: training, offline evaluation and serving all turn a URL into
 * features through this one class, so there is no training/serving skew to hunt for.
 *
 * <p>It starts from core's {@link NormalizedUrl} (userinfo tricks, IDN/punycode, IP literals,
 * percent-encoding, trailing dots and default ports are already resolved there) and emits binary
 * hashed features in namespaces ({@link FeatureKind}):
 *
 * <ul>
 *   <li>public suffix (and its top-level label when the suffix has several labels);
 *   <li>the site label (registered domain without suffix) as a whole;
 *   <li>subdomain labels as wholes (leading "www"/"wwwN"/"m" skipped);
 *   <li>host tokens: every host label split on hyphens, underscores and digits; letter runs
 *       segmented into words with the training vocabulary ({@code freecasinobonus} to free, casino,
 *       bonus); short digit runs kept ({@code 777}, {@code 18});
 *   <li>character n-grams of {@code ^site$} and (configurable) of each subdomain label;
 *   <li>(configurable, off by default) adjacent host-token pairs within a label;
 *   <li>path tokens and query keys (never query values);
 *   <li>shape flags: ip literal (v4/v6), had userinfo, explicit port, punycode, site-label length,
 *       hyphen count, digit ratio and subdomain depth buckets.
 * </ul>
 *
 * <p>When {@link FeatureConfig#neutralIdentityTerms()} is on, words naming a sexual orientation or
 * gender identity ({@link IdentityTerms}) are left out of tokens, whole subdomain labels, path
 * tokens and every character n-gram that overlaps them.
 *
 * <p>Thread-safe (immutable); callers pass their own {@link FeatureBuffer}.
 */
public final class UrlFeaturizer {

  private final FeatureConfig config;
  private final Vocabulary vocabulary;
  private final WordSegmenter segmenter;

  public UrlFeaturizer(FeatureConfig config, Vocabulary vocabulary) {
    this.config = config;
    this.vocabulary = vocabulary;
    this.segmenter = config.segmentation() ? new WordSegmenter(vocabulary) : null;
  }

  public FeatureConfig config() {
    return config;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** A fresh buffer sized for this featurizer's hash space. */
  public FeatureBuffer newBuffer() {
    return new FeatureBuffer(config);
  }

  /** Convenience: featurizes into a new buffer. */
  public FeatureBuffer featurize(NormalizedUrl url) {
    FeatureBuffer buffer = newBuffer();
    featurize(url, buffer);
    return buffer;
  }

  /** Clears {@code out} and fills it with the features of {@code url}. */
  public void featurize(NormalizedUrl url, FeatureBuffer out) {
    out.clear();
    if (url.hadUserinfo()) {
      out.add(FeatureKind.FLAG, "userinfo");
    }
    if (url.port() >= 0) {
      out.add(FeatureKind.FLAG, "port");
    }
    if (url.ipLiteral()) {
      out.add(FeatureKind.FLAG, "ip");
      out.add(FeatureKind.FLAG, url.host().indexOf(':') >= 0 ? "ipv6" : "ipv4");
    } else {
      hostFeatures(url, out);
    }
    if (config.pathTokens()) {
      pathFeatures(url.path(), out);
      queryFeatures(url.query(), out);
    }
  }

  private void hostFeatures(NormalizedUrl url, FeatureBuffer out) {
    String host = url.host();
    String suffix = url.publicSuffix();
    String registered = url.registeredDomain();
    int siteStart;
    int siteEnd;
    if (!suffix.isEmpty()
        && registered.length() > suffix.length() + 1
        && registered.endsWith(suffix)
        && host.endsWith(registered)) {
      siteStart = host.length() - registered.length();
      siteEnd = host.length() - suffix.length() - 1;
    } else {
      // Unknown suffix, or the host is itself a (private) suffix such as blogspot.com: the last
      // label acts as the suffix and the one before it as the site label.
      int lastDot = host.lastIndexOf('.');
      if (lastDot < 0) {
        siteStart = 0;
        siteEnd = host.length();
        suffix = "";
      } else {
        int prevDot = host.lastIndexOf('.', lastDot - 1);
        siteStart = prevDot + 1;
        siteEnd = lastDot;
        suffix = host.substring(lastDot + 1);
      }
    }
    if (!suffix.isEmpty()) {
      out.add(FeatureKind.SUFFIX, suffix);
      int lastDot = suffix.lastIndexOf('.');
      if (lastDot >= 0) {
        out.add(FeatureKind.TLD, suffix, lastDot + 1, suffix.length());
      }
    } else {
      out.add(FeatureKind.FLAG, "no-suffix");
    }
    if (host.startsWith("xn--") || host.contains(".xn--")) {
      out.add(FeatureKind.FLAG, "punycode");
    }

    // Site label.
    out.add(FeatureKind.SITE, host, siteStart, siteEnd);
    labelTokens(host, siteStart, siteEnd, out);
    if (config.charNgrams()) {
      ngrams(FeatureKind.NGRAM, host, siteStart, siteEnd, out);
    }
    shapeFlags(host, siteStart, siteEnd, out);

    // Subdomain labels, nearest to the site first is irrelevant: all are emitted (at most 6).
    int depth = 0;
    int labelStart = 0;
    int emitted = 0;
    while (labelStart < siteStart - 1 && emitted < 6) {
      int dot = host.indexOf('.', labelStart);
      if (dot < 0 || dot >= siteStart) {
        break;
      }
      if (!(depth == 0 && isWwwLike(host, labelStart, dot))) {
        if (!(config.neutralIdentityTerms() && IdentityTerms.isTerm(host, labelStart, dot))) {
          out.add(FeatureKind.SUBDOMAIN, host, labelStart, dot);
        }
        labelTokens(host, labelStart, dot, out);
        if (config.subdomainNgrams()) {
          ngrams(FeatureKind.SUBDOMAIN_NGRAM, host, labelStart, dot, out);
        }
        emitted++;
      }
      depth++;
      labelStart = dot + 1;
    }
    out.add(
        FeatureKind.FLAG,
        emitted == 0 ? "sub0" : emitted == 1 ? "sub1" : emitted == 2 ? "sub2" : "sub3+");
  }

  private static boolean isWwwLike(String s, int from, int to) {
    int n = to - from;
    if (n == 1 && s.charAt(from) == 'm') {
      return true;
    }
    if (n < 3 || !s.startsWith("www", from)) {
      return false;
    }
    for (int i = from + 3; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Splits a host label on non-letters; segments letter runs; keeps short digit runs. */
  private void labelTokens(String host, int from, int to, FeatureBuffer out) {
    out.previousTokenStart = -1;
    int i = from;
    while (i < to) {
      char c = host.charAt(i);
      if (c >= 'a' && c <= 'z') {
        int j = i + 1;
        while (j < to && host.charAt(j) >= 'a' && host.charAt(j) <= 'z') {
          j++;
        }
        letterRun(host, i, j, out);
        i = j;
      } else if (c >= '0' && c <= '9') {
        int j = i + 1;
        while (j < to && host.charAt(j) >= '0' && host.charAt(j) <= '9') {
          j++;
        }
        if (j - i <= 4) {
          token(host, i, j, out);
        } else {
          out.add(FeatureKind.HOST_TOKEN, "<number>");
          out.previousTokenStart = -1;
        }
        i = j;
      } else {
        i++;
      }
    }
  }

  private void letterRun(String host, int from, int to, FeatureBuffer out) {
    if (segmenter == null || to - from <= 3) {
      token(host, from, to, out);
      return;
    }
    segmenter.segment(
        host,
        from,
        to,
        out,
        (a, b, known) -> {
          if (known || b - a >= 2) {
            token(host, a, b, out);
          }
        });
  }

  /** A host token, and its pair with the previous token of the same label when enabled. */
  private void token(String host, int from, int to, FeatureBuffer out) {
    if (config.neutralIdentityTerms() && IdentityTerms.isTerm(host, from, to)) {
      out.previousTokenStart = -1;
      return;
    }
    out.add(FeatureKind.HOST_TOKEN, host, from, to);
    if (config.tokenBigrams() && out.previousTokenStart >= 0) {
      out.begin(FeatureKind.TOKEN_BIGRAM)
          .append(host, out.previousTokenStart, out.previousTokenEnd)
          .append('+')
          .append(host, from, to)
          .end();
    }
    out.previousTokenStart = from;
    out.previousTokenEnd = to;
  }

  private void ngrams(FeatureKind kind, String host, int from, int to, FeatureBuffer out) {
    int len = to - from + 2; // with ^ and $
    boolean[] identity = config.neutralIdentityTerms() ? IdentityTerms.mask(host, from, to) : null;
    for (int n = config.ngramMin(); n <= config.ngramMax(); n++) {
      for (int start = 0; start + n <= len; start++) {
        if (identity != null && overlaps(identity, start - 1, start + n - 1)) {
          continue;
        }
        out.begin(kind);
        for (int k = start; k < start + n; k++) {
          out.append(k == 0 ? '^' : k == len - 1 ? '$' : host.charAt(from + k - 1));
        }
        out.end();
      }
    }
  }

  /** Whether label positions [from, to) (clipped to the label) touch a masked character. */
  private static boolean overlaps(boolean[] mask, int from, int to) {
    for (int k = Math.max(0, from); k < Math.min(mask.length, to); k++) {
      if (mask[k]) {
        return true;
      }
    }
    return false;
  }

  private static void shapeFlags(String host, int from, int to, FeatureBuffer out) {
    int n = to - from;
    int digits = 0;
    int hyphens = 0;
    for (int i = from; i < to; i++) {
      char c = host.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '-') {
        hyphens++;
      }
    }
    out.add(
        FeatureKind.FLAG,
        n <= 3
            ? "len1-3"
            : n <= 6
                ? "len4-6"
                : n <= 10 ? "len7-10" : n <= 15 ? "len11-15" : n <= 20 ? "len16-20" : "len21+");
    out.add(
        FeatureKind.FLAG,
        hyphens == 0
            ? "hyphen0"
            : hyphens == 1 ? "hyphen1" : hyphens == 2 ? "hyphen2" : "hyphen3+");
    double ratio = n == 0 ? 0 : (double) digits / n;
    out.add(
        FeatureKind.FLAG,
        digits == 0
            ? "digits0"
            : ratio < 0.2 ? "digits<20%" : ratio < 0.5 ? "digits<50%" : "digits>=50%");
  }

  private void pathFeatures(String path, FeatureBuffer out) {
    int emitted = 0;
    int i = 0;
    int n = path.length();
    while (i < n && emitted < config.maxPathTokens()) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < n) {
        i += 3; // an escaped byte (non-ASCII or reserved): not part of a token
        continue;
      }
      if (!isAlnum(c)) {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && isAlnum(path.charAt(j))) {
        j++;
      }
      if (j - i >= 2
          && j - i <= 30
          && !(config.neutralIdentityTerms() && IdentityTerms.isTerm(path, i, j))) {
        out.begin(FeatureKind.PATH_TOKEN);
        for (int k = i; k < j; k++) {
          out.append(Character.toLowerCase(path.charAt(k)));
        }
        out.end();
        emitted++;
      }
      i = j;
    }
  }

  private void queryFeatures(String query, FeatureBuffer out) {
    if (query.isEmpty()) {
      return;
    }
    int emitted = 0;
    int start = 0;
    int n = query.length();
    while (start <= n && emitted < config.maxQueryKeys()) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      int eq = query.indexOf('=', start);
      int keyEnd = eq >= 0 && eq < end ? eq : end;
      if (keyEnd - start >= 1 && keyEnd - start <= 30) {
        out.begin(FeatureKind.QUERY_KEY);
        for (int k = start; k < keyEnd; k++) {
          out.append(Character.toLowerCase(query.charAt(k)));
        }
        out.end();
        emitted++;
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
