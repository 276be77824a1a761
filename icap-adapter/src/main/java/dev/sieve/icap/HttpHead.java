package dev.sieve.icap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An encapsulated HTTP message head (request line or status line, then header fields) as ICAP
 * carries it. Kept as the raw bytes too, so an allowed message is echoed exactly as it came.
 */
public record HttpHead(String startLine, List<Header> headers, byte[] raw) {

  /** One header field, name as sent. */
  public record Header(String name, String value) {}

  /** First value of {@code name} (case-insensitive). */
  public Optional<String> header(String name) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return Optional.of(header.value());
      }
    }
    return Optional.empty();
  }

  /**
   * Parses an encapsulated head: lines ending in CRLF (a bare LF is accepted), the last one empty.
   *
   * @throws IcapProtocolException 400 when there is no start line or a field has no colon
   */
  public static HttpHead parse(byte[] raw) throws IcapProtocolException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new IcapProtocolException(400, "encapsulated HTTP head has no start line");
    }
    List<Header> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IcapProtocolException(
            400, "encapsulated HTTP header field without a name: " + abbreviate(line));
      }
      headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
    }
    return new HttpHead(lines[0].strip(), List.copyOf(headers), raw);
  }

  /** The media type of Content-Type, lower case, without parameters; empty when absent. */
  public String mediaType() {
    return header("Content-Type")
        .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
        .orElse("");
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
