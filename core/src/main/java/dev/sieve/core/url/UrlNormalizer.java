package dev.sieve.core.url;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns whatever a filtering stack, a block list or a dataset row calls a URL into a {@link
 * NormalizedUrl}, or rejects it with a reason.
 *
 * <p>Hand-written rather than {@code java.net.URI} because URI rejects much of what browsers accept
 * (spaces, raw Unicode, backslashes) and accepts what filters must see through (userinfo tricks).
 * The rules follow what browsers do for http(s) (WHATWG URL), the registered domain comes from
 * Guava's copy of the public suffix list. Documented rules:
 *
 * <ul>
 *   <li>No scheme: {@code http://} is assumed ({@code example.com/x}). {@code data:}, {@code
 *       javascript:}, {@code mailto:}, {@code file:} and other non-web schemes are rejected
 *       (UNSUPPORTED_SCHEME): there is no site to classify.
 *   <li>Over {@value #MAX_URL_BYTES} UTF-8 bytes: TOO_LONG. ASCII control characters: rejected.
 *   <li>Userinfo is dropped and flagged ({@code http://school.edu@evil.example/} is evil.example).
 *   <li>Backslashes count as slashes; the fragment is dropped; default ports are dropped.
 *   <li>Host: percent-decoded, lower-cased, trailing dots stripped, IDN to punycode; bracketed IPv6
 *       becomes its canonical literal. A host whose last label is a number is an IPv4 address in
 *       any form a browser accepts ({@code 2130706433}, {@code 127.1}, {@code 0x7f.1}, {@code
 *       0177.0.0.1}) and becomes the dotted quad {@code 127.0.0.1}, or is rejected (MALFORMED_HOST)
 *       when it is not a valid address ({@code 1.2.3.256}, {@code foo.123}), as browsers reject it;
 *       see {@link Ipv4Host}.
 *   <li>Path and query: percent-encodings of unreserved characters are decoded, other escapes
 *       upper-cased, and raw non-ASCII or unsafe characters percent-encoded as UTF-8; dot segments
 *       are resolved in the path.
 * </ul>
 */
public final class UrlNormalizer {

  /** Longest URL accepted, in UTF-8 bytes. */
  public static final int MAX_URL_BYTES = 8 * 1024;

  private static final Pattern HAS_AUTHORITY_SCHEME =
      Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*://");
  private static final Pattern NON_WEB_SCHEME =
      Pattern.compile(
          "^(?i)(data|javascript|vbscript|mailto|about|blob|file|tel|sms|chrome|chrome-extension"
              + "|moz-extension|view-source|intent|ms-[a-z-]+):.*",
          Pattern.DOTALL);
  private static final Set<String> WEB_SCHEMES = Set.of("http", "https", "ws", "wss", "ftp");
  private static final Pattern HOST_CHARS = Pattern.compile("[a-z0-9_\\-.]+");

  private static final UrlNormalizer INSTANCE = new UrlNormalizer();

  /** The shared, stateless instance. */
  public static UrlNormalizer instance() {
    return INSTANCE;
  }

  /** Normalizes {@code raw}; never throws anything but {@link UrlRejectedException}. */
  public NormalizedUrl normalize(String raw) throws UrlRejectedException {
    if (raw == null || raw.isBlank()) {
      throw new UrlRejectedException(UrlRejectedException.Reason.EMPTY, "URL is empty");
    }
    if (raw.length() > MAX_URL_BYTES
        || raw.getBytes(StandardCharsets.UTF_8).length > MAX_URL_BYTES) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.TOO_LONG, "URL is longer than " + MAX_URL_BYTES + " bytes");
    }
    String s = raw.strip();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new UrlRejectedException(
            UrlRejectedException.Reason.CONTROL_CHARACTERS,
            "URL contains control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
    }
    // Browsers treat backslashes before the query as slashes in http(s) URLs (http:\\host\path).
    int queryStart = s.indexOf('?');
    s =
        queryStart < 0
            ? s.replace('\\', '/')
            : s.substring(0, queryStart).replace('\\', '/') + s.substring(queryStart);
    String scheme;
    String rest;
    if (HAS_AUTHORITY_SCHEME.matcher(s).find()) {
      int idx = s.indexOf("://");
      scheme = s.substring(0, idx).toLowerCase(Locale.ROOT);
      rest = s.substring(idx + 3);
    } else if (NON_WEB_SCHEME.matcher(s).matches()) {
      String name = s.substring(0, s.indexOf(':')).toLowerCase(Locale.ROOT);
      throw new UrlRejectedException(
          UrlRejectedException.Reason.UNSUPPORTED_SCHEME, "'" + name + ":' URLs name no web site");
    } else if (s.startsWith("//")) {
      scheme = "http";
      rest = s.substring(2);
    } else {
      scheme = "http";
      rest = s;
    }
    if (!WEB_SCHEMES.contains(scheme)) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.UNSUPPORTED_SCHEME, "unsupported scheme '" + scheme + "'");
    }
    while (rest.startsWith("/")) {
      rest = rest.substring(1); // http:///example.com -> example.com, as browsers do
    }
    int authorityEnd = indexOfAny(rest, "/?#");
    String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
    String tail = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

    boolean hadUserinfo = false;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      hadUserinfo = true;
      authority = authority.substring(at + 1);
    }

    String hostPart;
    String portPart = "";
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new UrlRejectedException(
            UrlRejectedException.Reason.MALFORMED_HOST, "unterminated IPv6 literal");
      }
      hostPart = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new UrlRejectedException(
              UrlRejectedException.Reason.MALFORMED_HOST, "junk after IPv6 literal");
        }
        portPart = after.substring(1);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        hostPart = authority.substring(0, colon);
        portPart = authority.substring(colon + 1);
      } else {
        hostPart = authority;
      }
    }
    int port = parsePort(portPart, scheme);

    HostInfo host = normalizeHost(hostPart);

    String fragmentless = tail;
    int hash = fragmentless.indexOf('#');
    if (hash >= 0) {
      fragmentless = fragmentless.substring(0, hash);
    }
    String path;
    String query;
    int q = fragmentless.indexOf('?');
    if (q >= 0) {
      path = fragmentless.substring(0, q);
      query = fragmentless.substring(q + 1);
    } else {
      path = fragmentless;
      query = "";
    }
    path = removeDotSegments(normalizeEscapes(path.isEmpty() ? "/" : path, false));
    query = normalizeEscapes(query, true);

    return new NormalizedUrl(
        scheme,
        host.ascii,
        port,
        path,
        query,
        host.registeredDomain,
        host.registrableDomain,
        host.publicSuffix,
        host.ipLiteral,
        hadUserinfo,
        host.unicode);
  }

  /**
   * Normalizes a bare host name as found in block lists and DNS logs (no scheme, no path): the same
   * rules as the host part of a URL, so list entries and request hosts meet in one form.
   */
  public NormalizedUrl normalizeHost(String host, String scheme) throws UrlRejectedException {
    return normalize(scheme + "://" + host + "/");
  }

  private record HostInfo(
      String ascii,
      String unicode,
      String registeredDomain,
      String registrableDomain,
      String publicSuffix,
      boolean ipLiteral) {}

  private static HostInfo normalizeHost(String rawHost) throws UrlRejectedException {
    if (rawHost.isEmpty()) {
      throw new UrlRejectedException(UrlRejectedException.Reason.EMPTY_HOST, "URL has no host");
    }
    if (rawHost.startsWith("[")) {
      String literal = rawHost.substring(1, rawHost.length() - 1);
      int zone = literal.indexOf('%');
      if (zone >= 0) {
        literal = literal.substring(0, zone);
      }
      if (!InetAddresses.isInetAddress(literal) || !literal.contains(":")) {
        throw new UrlRejectedException(
            UrlRejectedException.Reason.MALFORMED_HOST, "invalid IPv6 literal");
      }
      String ip = InetAddresses.toAddrString(InetAddresses.forString(literal));
      return new HostInfo(ip, ip, ip, ip, "", true);
    }
    String host = percentDecode(rawHost);
    if (host == null) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.MALFORMED_HOST, "invalid percent-encoding in host");
    }
    host = host.toLowerCase(Locale.ROOT);
    // Full-width and ideographic dots are label separators in IDNA.
    host = host.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new UrlRejectedException(UrlRejectedException.Reason.EMPTY_HOST, "URL has no host");
    }
    if (host.contains(":") && host.contains("%")) {
      // An IPv6 zone (scope) id names an interface of the machine that parses it: meaningless in a
      // URL (browsers reject it), and Guava would look the name up on this host (and throw).
      throw new UrlRejectedException(
          UrlRejectedException.Reason.MALFORMED_HOST,
          "IPv6 zone identifiers are not valid in a URL host");
    }
    if (InetAddresses.isInetAddress(host) && host.contains(":")) {
      InetAddress address;
      try {
        address = InetAddresses.forString(host);
      } catch (IllegalArgumentException e) {
        throw new UrlRejectedException(
            UrlRejectedException.Reason.MALFORMED_HOST, "invalid IPv6 address");
      }
      String ip = InetAddresses.toAddrString(address);
      return new HostInfo(ip, ip, ip, ip, "", true);
    }
    String ascii;
    boolean plain = isPlainAsciiHost(host);
    if (plain) {
      ascii = host; // what IDN.toASCII returns for it, without its label-by-label copies
    } else {
      try {
        ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new UrlRejectedException(
            UrlRejectedException.Reason.MALFORMED_HOST,
            "host is not a valid internationalized name");
      }
      while (ascii.endsWith(".")) {
        ascii = ascii.substring(0, ascii.length() - 1); // a full-width trailing dot, mapped by IDNA
      }
    }
    // After IDNA, as browsers do: full-width digits and dots have become ASCII by now.
    if (Ipv4Host.endsInANumber(ascii)) {
      String ip =
          Ipv4Host.parse(ascii)
              .orElseThrow(
                  () ->
                      new UrlRejectedException(
                          UrlRejectedException.Reason.MALFORMED_HOST,
                          "host ends in a number but is not an IPv4 address"));
      return new HostInfo(ip, ip, ip, ip, "", true);
    }
    if (ascii.isEmpty()
        || ascii.length() > 253
        || (!plain && !HOST_CHARS.matcher(ascii).matches())) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.MALFORMED_HOST, "host has invalid characters");
    }
    if (!plain) { // a plain host's labels were checked by isPlainAsciiHost
      for (String label : ascii.split("\\.", -1)) {
        if (label.isEmpty() || label.length() > 63) {
          throw new UrlRejectedException(
              UrlRejectedException.Reason.MALFORMED_HOST, "host has an empty or over-long label");
        }
      }
    }
    String unicode;
    if (!ascii.contains("xn--")) {
      unicode = ascii; // IDN.toUnicode changes only labels with the ACE prefix
    } else {
      try {
        unicode = IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        unicode = ascii;
      }
    }
    DomainParts parts = DOMAIN_PARTS.get(ascii, UrlNormalizer::domainParts);
    return new HostInfo(
        ascii, unicode, parts.registered(), parts.registrable(), parts.suffix(), false);
  }

  /** A host name's registered and registrable domains and its public suffix. */
  private record DomainParts(String registered, String registrable, String suffix) {}

  /**
   * Public-suffix lookups per ASCII host, bounded. Guava's {@link InternetDomainName} re-parses and
   * re-validates the name for each ancestor it returns (about 5 microseconds per host, half the
   * cost of normalizing a URL), while the hosts that traffic names repeat far more than URLs do.
   * The lookup is a pure function of the host and Guava's built-in list, so a cached answer is the
   * same answer.
   */
  private static final Cache<String, DomainParts> DOMAIN_PARTS =
      Caffeine.newBuilder().maximumSize(16_384).build();

  private static DomainParts domainParts(String ascii) {
    String registered = ascii;
    String registrable = ascii;
    String suffix = "";
    if (InternetDomainName.isValid(ascii)) {
      InternetDomainName name = InternetDomainName.from(ascii);
      if (name.isUnderPublicSuffix()) {
        registered = name.topPrivateDomain().toString();
        suffix = name.publicSuffix().toString();
      } else if (name.hasPublicSuffix()) {
        suffix = name.publicSuffix().toString();
      }
      if (name.isUnderRegistrySuffix()) {
        registrable = name.topDomainUnderRegistrySuffix().toString();
        if (suffix.isEmpty()) {
          suffix = name.registrySuffix().toString();
        }
      }
    }
    return new DomainParts(registered, registrable, suffix);
  }

  /**
   * True for a lower-case host made only of {@code [a-z0-9_.-]} whose labels are 1 to 63
   * characters: IDN.toASCII returns such a host unchanged (it only copies it label by label), so
   * the common case skips it. Anything else (non-ASCII, an empty or over-long label, another
   * character) takes the IDN path, with its own errors, exactly as before.
   */
  static boolean isPlainAsciiHost(String host) {
    int label = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return label > 0;
  }

  private static int parsePort(String portPart, String scheme) throws UrlRejectedException {
    if (portPart.isEmpty()) {
      return -1;
    }
    if (portPart.length() > 5 || !portPart.chars().allMatch(Character::isDigit)) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.MALFORMED_PORT,
          "invalid port '" + abbreviate(portPart) + "'");
    }
    int port = Integer.parseInt(portPart);
    if (port > 65535) {
      throw new UrlRejectedException(
          UrlRejectedException.Reason.MALFORMED_PORT, "port out of range: " + port);
    }
    int defaultPort =
        switch (scheme) {
          case "http", "ws" -> 80;
          case "https", "wss" -> 443;
          case "ftp" -> 21;
          default -> -1;
        };
    return port == defaultPort ? -1 : port;
  }

  private static String abbreviate(String s) {
    return s.length() <= 16 ? s : s.substring(0, 16) + "...";
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Decodes %XX escapes as UTF-8; null when an escape is malformed or the bytes are not UTF-8. */
  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '%') {
        if (i + 2 >= bytes.length) {
          return null;
        }
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else {
        out.write(b);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static final String PATH_SAFE = "!$&'()*+,;=:@/";
  private static final String QUERY_SAFE = "!$&'()*+,;=:@/?";

  /**
   * Canonical percent-encoding: unreserved characters decoded, other escapes upper-cased, unsafe
   * characters (spaces, raw Unicode) encoded as UTF-8. A '%' not followed by two hex digits is
   * encoded as %25, as browsers do.
   */
  private static String normalizeEscapes(String s, boolean query) {
    String safe = query ? QUERY_SAFE : PATH_SAFE;
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '%') {
        if (i + 2 < bytes.length
            && Character.digit(bytes[i + 1], 16) >= 0
            && Character.digit(bytes[i + 2], 16) >= 0) {
          int decoded =
              (Character.digit(bytes[i + 1], 16) << 4) | Character.digit(bytes[i + 2], 16);
          if (isUnreserved(decoded)) {
            sb.append((char) decoded);
          } else {
            sb.append('%')
                .append(Character.toUpperCase((char) bytes[i + 1]))
                .append(Character.toUpperCase((char) bytes[i + 2]));
          }
          i += 2;
        } else {
          sb.append("%25");
        }
      } else if (b < 0x80 && (isUnreserved(b) || safe.indexOf(b) >= 0)) {
        sb.append((char) b);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** RFC 3986 section 5.2.4, on an already-escaped path. */
  private static String removeDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    String[] segments = path.split("/", -1);
    ArrayDeque<String> out = new ArrayDeque<>();
    for (int i = 1; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (seg.equals(".") || seg.equalsIgnoreCase("%2E")) {
        if (last) {
          out.addLast("");
        }
      } else if (seg.equals("..")
          || seg.equalsIgnoreCase("%2E%2E")
          || seg.equalsIgnoreCase(".%2E")
          || seg.equalsIgnoreCase("%2E.")) {
        if (!out.isEmpty()) {
          out.removeLast();
        }
        if (last) {
          out.addLast("");
        }
      } else {
        out.addLast(seg);
      }
    }
    return "/" + String.join("/", out);
  }
}
