package dev.sieve.icap;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The head of one ICAP request (RFC 3507 section 4): method, service URI, ICAP header fields and
 * the encapsulated HTTP heads. The encapsulated body, when there is one, is still on the
 * connection: {@link ChunkedBody} reads it, so that a preview can be answered before the rest is
 * sent.
 *
 * @param bodyKind {@code req-body}, {@code res-body}, {@code opt-body}, or null ({@code null-body})
 */
public record IcapRequest(
    String method,
    String uri,
    List<HttpHead.Header> headers,
    Optional<HttpHead> requestHead,
    Optional<HttpHead> responseHead,
    String bodyKind) {

  /** First value of an ICAP header (case-insensitive). */
  public Optional<String> header(String name) {
    for (HttpHead.Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return Optional.of(header.value());
      }
    }
    return Optional.empty();
  }

  public boolean hasBody() {
    return bodyKind != null;
  }

  /** {@code Preview: n} as sent, or empty when the client sends no preview. */
  public Optional<Integer> preview() {
    return header("Preview")
        .flatMap(
            v -> {
              try {
                int n = Integer.parseInt(v.strip());
                return n >= 0 ? Optional.of(n) : Optional.empty();
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  /** The client accepts {@code 204 No Content} outside a preview ({@code Allow: 204}). */
  public boolean allows204() {
    return header("Allow")
        .map(
            v -> {
              for (String token : v.split(",")) {
                if (token.strip().equals("204")) {
                  return true;
                }
              }
              return false;
            })
        .orElse(false);
  }

  /** The client asked to close the connection after this exchange. */
  public boolean wantsClose() {
    return header("Connection")
        .map(v -> v.toLowerCase(Locale.ROOT).contains("close"))
        .orElse(false);
  }

  /**
   * The service name: the last path segment of the ICAP URI ({@code icap://host:1344/reqmod} ->
   * reqmod).
   */
  public String service() {
    String path = uri;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : path.substring(slash);
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
  }
}
