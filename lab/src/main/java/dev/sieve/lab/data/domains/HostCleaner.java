package dev.sieve.lab.data.domains;

import com.google.common.net.InternetDomainName;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.lab.data.io.RawFiles;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one line of a block list or a popularity list into a normalized host, or says why not.
 *
 * <p>List formats differ (plain domains, hosts-file lines, wildcards, adblock rules, URLs); this
 * class strips the syntax and hands the host to core's {@link UrlNormalizer}, so list entries and
 * request hosts meet in exactly one normal form (lower case, punycode, no port, no trailing dot)
 * and share one registered-domain rule (eTLD+1 incl. private suffixes). Rules:
 *
 * <ul>
 *   <li>Blank lines and comments ({@code #}, {@code !}) are skipped, not errors.
 *   <li>Hosts-file prefixes ({@code 0.0.0.0 }, {@code 127.0.0.1 }), adblock {@code ||host^},
 *       leading {@code *.} or {@code .} wildcards, schemes, a trailing slash and ports are
 *       stripped. An entry with a path names a page, not a host, and is invalid in a host list.
 *   <li>Invalid: anything the normalizer rejects, a name without a public suffix (bare words like
 *       "May" or "URLs" in a list), U+FFFD from bad UTF-8.
 *   <li>IP literals are valid hosts (proxies live on bare IPs) and flagged {@code ip_literal}. A
 *       host that is itself a public suffix (gov.uk, nhs.uk and github.io are real sites) is valid,
 *       is its own registered domain and is flagged {@code public_suffix_host}.
 * </ul>
 */
public final class HostCleaner {

  private static final Pattern HOSTS_PREFIX =
      Pattern.compile("^(0\\.0\\.0\\.0|127\\.0\\.0\\.1|::1?|::0)\\s+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  /** A cleaned host; {@code reason} is null when valid. */
  public record Result(
      String host,
      String registeredDomain,
      String unicodeHost,
      boolean ipLiteral,
      boolean hadPort,
      String reason,
      boolean skip,
      boolean publicSuffixHost) {

    public boolean valid() {
      return reason == null && !skip;
    }

    static Result invalid(String reason) {
      return new Result(null, null, null, false, false, reason, false, false);
    }

    static Result skipped() {
      return new Result(null, null, null, false, false, null, true, false);
    }
  }

  private HostCleaner() {}

  /** Cleans one raw list line. */
  public static Result clean(String rawLine) {
    String s = rawLine.strip();
    if (s.isEmpty() || s.startsWith("#") || s.startsWith("!")) {
      return Result.skipped();
    }
    if (s.indexOf(RawFiles.MALFORMED) >= 0) {
      return Result.invalid("not_utf8");
    }
    int hash = s.indexOf(" #");
    if (hash > 0) {
      s = s.substring(0, hash).strip();
    }
    s = HOSTS_PREFIX.matcher(s).replaceFirst("");
    if (s.startsWith("||")) {
      s = s.substring(2);
    }
    int caret = s.indexOf('^');
    if (caret >= 0) {
      s = s.substring(0, caret);
    }
    if (WHITESPACE.matcher(s).find()) {
      return Result.invalid("whitespace_in_host");
    }
    while (s.startsWith("*.") || s.startsWith(".")) {
      s = s.substring(s.startsWith("*.") ? 2 : 1);
    }
    if (s.contains("*")) {
      return Result.invalid("wildcard_inside_name");
    }
    String hostPart = s;
    int schemeEnd = hostPart.indexOf("://");
    if (schemeEnd >= 0) {
      hostPart = hostPart.substring(schemeEnd + 3);
    }
    int slash = indexOfAny(hostPart, "/?#");
    if (slash >= 0 && slash < hostPart.length() - 1) {
      // A path names a page, not a host: labelling the whole host from it would be wrong.
      return Result.invalid("path_in_host_list");
    }
    NormalizedUrl url;
    try {
      url = UrlNormalizer.instance().normalize(schemeEnd >= 0 ? s : "http://" + s);
    } catch (UrlRejectedException e) {
      return Result.invalid(e.reason().name().toLowerCase(Locale.ROOT));
    }
    boolean hadPort = url.port() >= 0;
    if (url.ipLiteral()) {
      return new Result(
          url.host(), url.registeredDomain(), url.host(), true, hadPort, null, false, false);
    }
    String host = url.host();
    if (!InternetDomainName.isValid(host)) {
      return Result.invalid("invalid_domain_name");
    }
    InternetDomainName name = InternetDomainName.from(host);
    if (!name.hasPublicSuffix()) {
      return Result.invalid("no_public_suffix");
    }
    return new Result(
        host,
        url.registeredDomain(),
        url.unicodeHost(),
        false,
        hadPort,
        null,
        false,
        !name.isUnderPublicSuffix());
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
