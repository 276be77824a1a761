package dev.sieve.icap;

import dev.sieve.proto.v1.ClassifyResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adaptation logic behind the two ICAP services ({@code /reqmod}, {@code /respmod}).
 *
 * <ul>
 *   <li><b>REQMOD</b> (before the proxy contacts the origin): the request URL is classified alone,
 *       the router's fast path (verdict cache, url tier). A block answers the client with the block
 *       page, and the origin is never contacted.
 *   <li><b>RESPMOD</b> (the origin's answer, before the client sees it): a {@code text/html} body
 *       (gzip and deflate decoded) is classified with its URL, the first {@link
 *       IcapSettings#maxBodyBytes()} of it; anything else is allowed at once, from the preview,
 *       without reading the body.
 *   <li>Allow is {@code 204 No Content} whenever the client allows it ({@code Allow: 204}, or
 *       inside a preview), else the message is sent back unchanged.
 *   <li>No verdict in time (router down, deadline, overload): {@link UnavailablePolicy} per tenant.
 * </ul>
 */
public final class IcapService {

  private static final Logger log = LoggerFactory.getLogger(IcapService.class);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");

  private final IcapSettings settings;
  private final SieveClient sieve;
  private final TenantResolver tenants;
  private final UnavailablePolicy unavailable;
  private final BlockPage blockPage;
  private final String isTag;

  public IcapService(
      IcapSettings settings,
      SieveClient sieve,
      TenantResolver tenants,
      UnavailablePolicy unavailable,
      BlockPage blockPage) {
    this.settings = settings;
    this.sieve = sieve;
    this.tenants = tenants;
    this.unavailable = unavailable;
    this.blockPage = blockPage;
    // ISTag changes when the adapter's behaviour may change (RFC 3507 4.7): a restart with new
    // settings.
    this.isTag = "\"sieve-" + Integer.toHexString(settings.hashCode()) + "\"";
  }

  /**
   * Answers one request whose head has been read; reads its body as needed.
   *
   * @return whether the connection may be kept for another request
   */
  public boolean handle(IcapRequest request, InputStream in, OutputStream out)
      throws IOException, IcapProtocolException {
    String service = request.service();
    if (!service.equals("reqmod") && !service.equals("respmod")) {
      drainBody(request, in);
      writeStatus(out, 404, "ICAP Service Not Found", request.wantsClose());
      return !request.wantsClose();
    }
    switch (request.method()) {
      case "OPTIONS" -> options(service, request, in, out);
      case "REQMOD" -> {
        if (!service.equals("reqmod")) {
          throw new IcapProtocolException(405, "REQMOD sent to the " + service + " service");
        }
        reqmod(request, in, out);
      }
      case "RESPMOD" -> {
        if (!service.equals("respmod")) {
          throw new IcapProtocolException(405, "RESPMOD sent to the " + service + " service");
        }
        respmod(request, in, out);
      }
      default -> throw new IcapProtocolException(405, "method not allowed: " + request.method());
    }
    return !request.wantsClose();
  }

  private void options(String service, IcapRequest request, InputStream in, OutputStream out)
      throws IOException, IcapProtocolException {
    drainBody(request, in);
    StringBuilder head =
        new StringBuilder("ICAP/1.0 200 OK\r\n")
            .append("Methods: ")
            .append(service.toUpperCase(Locale.ROOT))
            .append("\r\n")
            .append("Service: Sieve ICAP adapter\r\n")
            .append("ISTag: ")
            .append(isTag)
            .append("\r\n")
            .append("Max-Connections: ")
            .append(settings.maxConnections())
            .append("\r\n")
            .append("Options-TTL: 300\r\n")
            .append("Allow: 204\r\n")
            // A zero-byte preview: the headers alone decide most messages (REQMOD never needs a
            // body;
            // RESPMOD needs one only for text/html).
            .append("Preview: 0\r\n")
            .append("Transfer-Preview: *\r\n")
            .append("Encapsulated: null-body=0\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private void reqmod(IcapRequest request, InputStream in, OutputStream out)
      throws IOException, IcapProtocolException {
    HttpHead http = request.requestHead().orElseThrow();
    String url = requestUrl(http);
    Optional<Integer> preview = request.preview();
    // The body of an uploaded form never decides a URL verdict: skip it (after a preview the client
    // sends no more once it has our answer); without a preview, keep it only to echo it back.
    ChunkedBody body = null;
    if (request.hasBody()) {
      body =
          new ChunkedBody(preview.isEmpty() && !request.allows204() ? settings.maxEchoBytes() : 0);
      body.readUntilLastChunk(in);
    }
    String tenant = tenants.resolve(request);
    String requestId = UUID.randomUUID().toString();
    SieveClient.Outcome outcome =
        url == null
            ? new SieveClient.Rejected("no URL in the request")
            : sieve.classify(url, new byte[0], tenant, requestId, settings.reqmodDeadline());
    Optional<String> block = blockPage(outcome, url, tenant, requestId, "REQMOD");
    String alert = alertHeader(outcome, requestId);
    if (block.isPresent()) {
      writeBlock(out, block.get(), requestId, alert);
      return;
    }
    if (preview.isPresent() || request.allows204()) {
      write204(out, alert);
      return;
    }
    if (body != null && body.truncated()) {
      throw new IcapProtocolException(
          500, "request body over SIEVE_ICAP_MAX_ECHO_BYTES and the client does not accept 204");
    }
    echo(out, "req-hdr", http, "req-body", body, alert);
  }

  private void respmod(IcapRequest request, InputStream in, OutputStream out)
      throws IOException, IcapProtocolException {
    Optional<Integer> preview = request.preview();
    boolean may204 = preview.isPresent() || request.allows204();
    HttpHead response = request.responseHead().orElse(null);
    String url = request.requestHead().map(IcapService::requestUrl).orElse(null);
    Optional<String> skip = whyNotClassified(request, response);
    if (skip.isPresent()) {
      // Decided on the headers. Whatever body is already on its way is read (a preview ends with
      // its
      // own last chunk; without a preview the whole body comes); after a preview's 204 the client
      // sends no more.
      ChunkedBody all = readAll(request, in, may204 ? 0 : settings.maxEchoBytes());
      if (may204) {
        write204(out);
        return;
      }
      echoOrFail(out, response, all);
      return;
    }

    // A text/html page: read it (after "100 Continue" when only a preview came).
    int keep =
        request.allows204()
            ? settings.maxBodyBytes()
            : Math.max(settings.maxBodyBytes(), settings.maxEchoBytes());
    ChunkedBody body = new ChunkedBody(keep);
    boolean ieof = body.readUntilLastChunk(in);
    if (preview.isPresent() && !ieof) {
      out.write("ICAP/1.0 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      body.readUntilLastChunk(in);
    }
    String tenant = tenants.resolve(request);
    String requestId = UUID.randomUUID().toString();
    byte[] kept = body.kept();
    // Only the budget goes to Sieve, also when more was kept to echo to a client without 204.
    byte[] html =
        decodeHtml(
            response,
            kept.length > settings.maxBodyBytes()
                ? Arrays.copyOf(kept, settings.maxBodyBytes())
                : kept);
    SieveClient.Outcome outcome =
        sieve.classify(url, html, tenant, requestId, settings.respmodDeadline());
    Optional<String> block =
        blockPage(outcome, url == null ? "" : url, tenant, requestId, "RESPMOD");
    String alert = alertHeader(outcome, requestId);
    if (block.isPresent()) {
      writeBlock(out, block.get(), requestId, alert);
      return;
    }
    if (request.allows204()) {
      write204(out, alert);
      return;
    }
    echoOrFail(out, response, body, alert);
  }

  /** Why a response is allowed without classifying its body; empty when it is to be classified. */
  private Optional<String> whyNotClassified(IcapRequest request, HttpHead response) {
    if (response == null || !request.hasBody()) {
      return Optional.of("no body");
    }
    if (!HTML_TYPES.contains(response.mediaType())) {
      return Optional.of("not html: " + response.mediaType());
    }
    String status =
        response.startLine().split(" ", 3).length > 1 ? response.startLine().split(" ", 3)[1] : "";
    if (!status.startsWith("2")) {
      return Optional.of("status " + status);
    }
    String encoding =
        response.header("Content-Encoding").orElse("identity").strip().toLowerCase(Locale.ROOT);
    if (!Set.of("identity", "", "gzip", "x-gzip", "deflate").contains(encoding)) {
      return Optional.of("content-encoding " + encoding + " not decoded");
    }
    return Optional.empty();
  }

  /** The block page to answer, or empty to allow; logs every block and every missing verdict. */
  private Optional<String> blockPage(
      SieveClient.Outcome outcome, String url, String tenant, String requestId, String mode) {
    return switch (outcome) {
      case SieveClient.Verdict verdict -> {
        ClassifyResponse response = verdict.response();
        String id = response.getRequestId().isEmpty() ? requestId : response.getRequestId();
        if (response.getAlert()) {
          log.warn(
              "{} wellness alert: request {} tenant '{}' category {} url {}",
              mode,
              id,
              tenant,
              response.getPrimaryCategory(),
              url);
        }
        if (!verdict.blocks()) {
          yield Optional.empty();
        }
        log.info(
            "{} block: request {} tenant '{}' category {} url {}",
            mode,
            id,
            tenant,
            response.getPrimaryCategory(),
            url);
        yield Optional.of(blockPage.forCategory(response.getPrimaryCategory(), url, id));
      }
      case SieveClient.Rejected rejected -> {
        log.debug("{} not classified ({}): {}", mode, rejected.why(), url);
        yield Optional.empty();
      }
      case SieveClient.Unavailable down -> {
        UnavailablePolicy.Mode policy = unavailable.forTenant(tenant);
        log.warn(
            "{} no verdict ({}); tenant '{}' policy {}: request {} url {}",
            mode,
            down.why(),
            tenant,
            policy,
            requestId,
            url);
        yield policy == UnavailablePolicy.Mode.BLOCK
            ? Optional.of(blockPage.forUnavailable(url, requestId))
            : Optional.empty();
      }
    };
  }

  /** The URL of an encapsulated HTTP request: absolute form, CONNECT authority, or Host + path. */
  static String requestUrl(HttpHead http) {
    String[] parts = http.startLine().split(" ");
    if (parts.length < 2) {
      return null;
    }
    String target = parts[1];
    if (parts[0].equalsIgnoreCase("CONNECT")) {
      return target.endsWith(":443")
          ? "https://" + target.substring(0, target.length() - 4) + "/"
          : "https://" + target + "/";
    }
    if (target.contains("://")) {
      return target;
    }
    Optional<String> host = http.header("Host");
    if (host.isEmpty() || !target.startsWith("/")) {
      return null;
    }
    return "http://" + host.get() + target;
  }

  /** The page as UTF-8: content-encoding undone, then decoded from its declared charset. */
  private byte[] decodeHtml(HttpHead response, byte[] raw) {
    String encoding =
        response.header("Content-Encoding").orElse("identity").strip().toLowerCase(Locale.ROOT);
    byte[] bytes = raw;
    if (encoding.equals("gzip") || encoding.equals("x-gzip") || encoding.equals("deflate")) {
      bytes = inflate(raw, encoding.equals("deflate"));
    }
    Charset charset = StandardCharsets.UTF_8;
    String contentType = response.header("Content-Type").orElse("");
    for (String parameter : contentType.split(";")) {
      String[] kv = parameter.strip().split("=", 2);
      if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
        try {
          charset = Charset.forName(kv[1].strip().replace("\"", ""));
        } catch (RuntimeException unknown) {
          charset = StandardCharsets.UTF_8;
        }
      }
    }
    // new String replaces malformed input; the router wants valid UTF-8.
    return new String(bytes, charset).getBytes(StandardCharsets.UTF_8);
  }

  /** Inflates at most maxBodyBytes; a body cut at the budget yields what was decoded so far. */
  private byte[] inflate(byte[] compressed, boolean deflate) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (InputStream inflater =
        deflate
            ? new InflaterInputStream(new ByteArrayInputStream(compressed))
            : new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      byte[] buffer = new byte[8192];
      int n;
      while (plain.size() < settings.maxBodyBytes() && (n = inflater.read(buffer)) > 0) {
        plain.write(buffer, 0, Math.min(n, settings.maxBodyBytes() - plain.size()));
      }
    } catch (EOFException truncated) {
      // the kept prefix ends mid-stream: use what was decoded
    } catch (IOException corrupt) {
      log.debug("cannot inflate a response body: {}", corrupt.getMessage());
    }
    return plain.toByteArray();
  }

  private ChunkedBody readAll(IcapRequest request, InputStream in, int keep)
      throws IOException, IcapProtocolException {
    ChunkedBody body = new ChunkedBody(keep);
    if (request.hasBody()) {
      body.readUntilLastChunk(in);
    }
    return body;
  }

  private void echoOrFail(OutputStream out, HttpHead response, ChunkedBody body)
      throws IOException, IcapProtocolException {
    echoOrFail(out, response, body, "");
  }

  private void echoOrFail(OutputStream out, HttpHead response, ChunkedBody body, String extra)
      throws IOException, IcapProtocolException {
    if (body.truncated()) {
      throw new IcapProtocolException(
          500, "response body over SIEVE_ICAP_MAX_ECHO_BYTES and the client does not accept 204");
    }
    echo(
        out,
        "res-hdr",
        response,
        "res-body",
        body.total() == 0 && response == null ? null : body,
        extra);
  }

  private static void drainBody(IcapRequest request, InputStream in)
      throws IOException, IcapProtocolException {
    if (request.hasBody()) {
      new ChunkedBody(0).readUntilLastChunk(in);
    }
  }

  /**
   * The ICAP header that carries the wellness alert to the proxy, or "" when the verdict raises
   * none: {@code X-Sieve-Alert: <category>; request-id=<id>}. It rides on whatever the answer is
   * (204, block page, echo), because an alert is independent of the action: a crisis-help page is
   * served and still alerts. Squid logs it with {@code %{X-Sieve-Alert}adapt::<last_h}
   * (docs/integrations.md), so a school's alert pipeline need not scrape the adapter's own log.
   */
  static String alertHeader(SieveClient.Outcome outcome, String requestId) {
    if (!(outcome instanceof SieveClient.Verdict verdict) || !verdict.response().getAlert()) {
      return "";
    }
    ClassifyResponse response = verdict.response();
    String category =
        response.getCategoriesList().stream()
            .filter(c -> c.getAlert() && c.getDecision())
            .map(c -> c.getCategory())
            .findFirst()
            .orElse(response.getPrimaryCategory());
    String id = response.getRequestId().isEmpty() ? requestId : response.getRequestId();
    return "X-Sieve-Alert: " + sanitize(category) + "; request-id=" + sanitize(id) + "\r\n";
  }

  /** A header value from router data: no CR, LF or other control characters. */
  private static String sanitize(String value) {
    return value.replaceAll("[\\p{Cntrl}]", "");
  }

  /** Sends the message back unchanged (a client that does not accept 204). */
  private void echo(
      OutputStream out, String headName, HttpHead head, String bodyName, ChunkedBody body)
      throws IOException {
    echo(out, headName, head, bodyName, body, "");
  }

  private void echo(
      OutputStream out,
      String headName,
      HttpHead head,
      String bodyName,
      ChunkedBody body,
      String extra)
      throws IOException {
    byte[] raw = head == null ? new byte[0] : head.raw();
    String encapsulated =
        (head == null ? "" : headName + "=0, ")
            + (body == null ? "null-body=" : bodyName + "=")
            + raw.length;
    out.write(
        ("ICAP/1.0 200 OK\r\nISTag: "
                + isTag
                + "\r\n"
                + extra
                + "Encapsulated: "
                + encapsulated
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(raw);
    if (body != null) {
      writeChunked(out, body.kept());
    }
    out.flush();
  }

  private void write204(OutputStream out) throws IOException {
    write204(out, "");
  }

  private void write204(OutputStream out, String extra) throws IOException {
    out.write(
        ("ICAP/1.0 204 No Content\r\nISTag: "
                + isTag
                + "\r\n"
                + extra
                + "Encapsulated: null-body=0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * The block page as the HTTP response (REQMOD: request satisfaction; RESPMOD: a replaced
   * response).
   */
  private void writeBlock(OutputStream out, String page, String requestId, String extra)
      throws IOException {
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    byte[] http =
        ("HTTP/1.1 403 Forbidden\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "X-Sieve-Request-Id: "
                + requestId
                + "\r\n"
                + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    out.write(
        ("ICAP/1.0 200 OK\r\nISTag: "
                + isTag
                + "\r\n"
                + extra
                + "Encapsulated: res-hdr=0, res-body="
                + http.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(http);
    writeChunked(out, body);
    out.flush();
  }

  private static void writeChunked(OutputStream out, byte[] data) throws IOException {
    if (data.length > 0) {
      out.write(Integer.toHexString(data.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(CRLF);
      out.write(data);
      out.write(CRLF);
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  /** An ICAP status line with no encapsulated message. */
  static void writeStatus(OutputStream out, int status, String reason, boolean close)
      throws IOException {
    out.write(
        ("ICAP/1.0 "
                + status
                + " "
                + reason
                + "\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "Encapsulated: null-body=0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Deadline of a RESPMOD verdict (exposed for logs and tests). */
  Duration respmodDeadline() {
    return settings.respmodDeadline();
  }
}
