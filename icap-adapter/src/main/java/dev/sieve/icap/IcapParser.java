package dev.sieve.icap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads ICAP request heads (RFC 3507 section 4.3-4.4) from a connection, within fixed limits.
 *
 * <p>Why hand-written: no maintained JVM ICAP server library exists (the known ones, e.g. the
 * abandoned icap4j / GreasySpoon code, have had no release in a decade), and the part of ICAP a
 * filtering adapter needs is small: a request line, header fields, the {@code Encapsulated}
 * offsets, the HTTP heads at those offsets, and a chunked body ({@link ChunkedBody}). Everything
 * here is bounded (line length, header count, encapsulated head size) and every malformed input
 * ends in an {@link IcapProtocolException} carrying the status to answer; {@code
 * IcapParserFuzzTest} checks that no input does anything else.
 */
public final class IcapParser {

  /** Longest ICAP request line or header line. */
  public static final int MAX_LINE = 8 * 1024;

  /** Most ICAP header fields in one request. */
  public static final int MAX_HEADERS = 100;

  /** Largest total of encapsulated HTTP heads (req-hdr + res-hdr). */
  public static final int MAX_ENCAPSULATED_HEADS = 64 * 1024;

  private static final Set<String> METHODS = Set.of("OPTIONS", "REQMOD", "RESPMOD");
  private static final Set<String> SECTIONS =
      Set.of("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body");

  private IcapParser() {}

  /**
   * Reads one request head.
   *
   * @return empty when the peer closed the connection cleanly before a new request began
   * @throws IcapProtocolException on malformed input, a limit exceeded, or a close mid-message
   * @throws IOException on a socket error (including a read timeout)
   */
  public static Optional<IcapRequest> readRequest(InputStream in)
      throws IOException, IcapProtocolException {
    String requestLine;
    do {
      requestLine = readLine(in, true);
      if (requestLine == null) {
        return Optional.empty();
      }
    } while (requestLine.isEmpty()); // tolerate stray CRLF between messages (RFC 7230 3.5)

    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || parts[1].isEmpty()) {
      throw new IcapProtocolException(
          400, "malformed ICAP request line: " + HttpHead.abbreviate(requestLine));
    }
    if (!parts[2].equals("ICAP/1.0")) {
      throw new IcapProtocolException(
          505, "unsupported ICAP version: " + HttpHead.abbreviate(parts[2]));
    }
    String method = parts[0];
    if (!METHODS.contains(method)) {
      throw new IcapProtocolException(405, "method not allowed: " + HttpHead.abbreviate(method));
    }

    List<HttpHead.Header> headers = new ArrayList<>();
    while (true) {
      String line = readLine(in, false);
      if (line.isEmpty()) {
        break;
      }
      if (headers.size() >= MAX_HEADERS) {
        throw new IcapProtocolException(400, "more than " + MAX_HEADERS + " ICAP header fields");
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new IcapProtocolException(400, "obsolete header line folding is not accepted");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IcapProtocolException(
            400, "ICAP header field without a name: " + HttpHead.abbreviate(line));
      }
      headers.add(
          new HttpHead.Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
    }

    String encapsulated = null;
    for (HttpHead.Header header : headers) {
      if (header.name().equalsIgnoreCase("Encapsulated")) {
        encapsulated = header.value();
      }
    }
    if (encapsulated == null) {
      if (method.equals("OPTIONS")) {
        return Optional.of(
            new IcapRequest(
                method, parts[1], List.copyOf(headers), Optional.empty(), Optional.empty(), null));
      }
      throw new IcapProtocolException(400, method + " without an Encapsulated header");
    }
    return Optional.of(readEncapsulated(in, method, parts[1], headers, encapsulated));
  }

  private static IcapRequest readEncapsulated(
      InputStream in, String method, String uri, List<HttpHead.Header> headers, String encapsulated)
      throws IOException, IcapProtocolException {
    List<String> names = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    for (String entry : encapsulated.split(",")) {
      String[] kv = entry.strip().split("=", -1);
      if (kv.length != 2 || !SECTIONS.contains(kv[0].strip())) {
        throw new IcapProtocolException(
            400, "malformed Encapsulated entry: " + HttpHead.abbreviate(entry));
      }
      int offset;
      try {
        offset = Integer.parseInt(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IcapProtocolException(
            400, "malformed Encapsulated offset: " + HttpHead.abbreviate(entry));
      }
      if (offset < 0 || (!offsets.isEmpty() && offset < offsets.get(offsets.size() - 1))) {
        throw new IcapProtocolException(
            400, "Encapsulated offsets must start at 0 and not decrease");
      }
      if (names.contains(kv[0].strip())) {
        throw new IcapProtocolException(
            400, "Encapsulated names a section twice: " + kv[0].strip());
      }
      names.add(kv[0].strip());
      offsets.add(offset);
    }
    if (names.isEmpty()) { // "Encapsulated: ," splits into nothing (found by IcapParserFuzzTest)
      throw new IcapProtocolException(400, "empty Encapsulated header");
    }
    String last = names.get(names.size() - 1);
    boolean lastIsBody = last.endsWith("-body");
    if (!lastIsBody) {
      throw new IcapProtocolException(
          400,
          "Encapsulated must end with a body entry (req-body, res-body, opt-body or null-body)");
    }
    for (int i = 0; i < names.size() - 1; i++) {
      if (names.get(i).endsWith("-body")) {
        throw new IcapProtocolException(400, "only the last Encapsulated entry may be a body");
      }
    }
    if (offsets.get(0) != 0) {
      throw new IcapProtocolException(400, "the first Encapsulated offset must be 0");
    }
    int headsLength = offsets.get(offsets.size() - 1);
    if (headsLength > MAX_ENCAPSULATED_HEADS) {
      throw new IcapProtocolException(
          413,
          "encapsulated HTTP heads of "
              + headsLength
              + " bytes (limit "
              + MAX_ENCAPSULATED_HEADS
              + ")");
    }
    byte[] heads = in.readNBytes(headsLength);
    if (heads.length < headsLength) {
      throw new IcapProtocolException(0, "connection closed inside the encapsulated HTTP heads");
    }
    Optional<HttpHead> requestHead = Optional.empty();
    Optional<HttpHead> responseHead = Optional.empty();
    for (int i = 0; i < names.size() - 1; i++) {
      byte[] section = Arrays.copyOfRange(heads, offsets.get(i), offsets.get(i + 1));
      HttpHead head = HttpHead.parse(section);
      if (names.get(i).equals("req-hdr")) {
        requestHead = Optional.of(head);
      } else {
        responseHead = Optional.of(head);
      }
    }
    String bodyKind = last.equals("null-body") ? null : last;
    if (method.equals("REQMOD")
        && (requestHead.isEmpty() || responseHead.isPresent() || "res-body".equals(bodyKind))) {
      throw new IcapProtocolException(
          400, "REQMOD encapsulates req-hdr (and req-body), nothing else");
    }
    if (method.equals("RESPMOD")
        && (responseHead.isEmpty() && bodyKind != null || "req-body".equals(bodyKind))) {
      throw new IcapProtocolException(400, "RESPMOD encapsulates [req-hdr,] res-hdr and res-body");
    }
    return new IcapRequest(method, uri, List.copyOf(headers), requestHead, responseHead, bodyKind);
  }

  /**
   * Reads a line ending in CRLF (or a bare LF), without the terminator.
   *
   * @param eofOk a clean close before the first byte returns null instead of throwing
   */
  static String readLine(InputStream in, boolean eofOk) throws IOException, IcapProtocolException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofOk && line.size() == 0) {
          return null;
        }
        throw new IcapProtocolException(0, "connection closed mid-line");
      }
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new IcapProtocolException(400, "line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    int length =
        bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }
}
