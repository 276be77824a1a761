package dev.sieve.icap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's ICAP behaviour over a real socket, one exchange at a time. The router here is a
 * stand-in (in-process gRPC, a few fixed rules) so that each ICAP path is reached on purpose; the
 * real router, tiers and a real Squid are in the cli module's SquidIcapEndToEndTest.
 */
class IcapServerTest {

  /**
   * Stand-in router: blocks pokerstars.com (gambling) and pages that say "gore" (violence); "slow"
   * hangs.
   */
  private static final class StandInRouter extends ClassifierGrpc.ClassifierImplBase {
    final List<ClassifyRequest> calls = new CopyOnWriteArrayList<>();
    volatile boolean down;

    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> response) {
      calls.add(request);
      if (down) {
        response.onError(Status.UNAVAILABLE.withDescription("router down").asRuntimeException());
        return;
      }
      if (request.getUrl().contains("busy.example")) {
        // The reason code decides, not the text: the message deliberately avoids the word.
        response.onError(
            ErrorDetails.error(
                Status.Code.RESOURCE_EXHAUSTED, ErrorReason.OVERLOADED, "too many in flight"));
        return;
      }
      if (request.getUrl().contains("huge.example")) {
        response.onError(
            ErrorDetails.error(
                Status.Code.RESOURCE_EXHAUSTED,
                ErrorReason.BODY_TOO_LARGE,
                "router overloaded? no: body over the limit",
                "html"));
        return;
      }
      if (request.getUrl().contains("malformed")) {
        response.onError(
            Status.INVALID_ARGUMENT.withDescription("malformed URL").asRuntimeException());
        return;
      }
      String html = request.getHtml().toStringUtf8();
      ClassifyResponse.Builder verdict =
          ClassifyResponse.newBuilder()
              .setRequestId(request.getRequestId())
              .setAction(Action.ACTION_ALLOW);
      if (request.getUrl().contains("crisis.example")) {
        verdict
            .setAlert(true)
            .setPrimaryCategory("self_harm_help")
            .addCategories(
                CategoryVerdict.newBuilder()
                    .setCategory("self_harm_help")
                    .setDecision(true)
                    .setAlert(true));
      } else if (request.getUrl().contains("pokerstars.com")) {
        verdict.setAction(Action.ACTION_BLOCK).setPrimaryCategory("gambling");
      } else if (html.contains("gore")) {
        verdict.setAction(Action.ACTION_BLOCK).setPrimaryCategory("violence");
      }
      response.onNext(verdict.build());
      response.onCompleted();
    }
  }

  private final StandInRouter router = new StandInRouter();
  private Server grpc;
  private ManagedChannel channel;
  private IcapServer server;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    grpc = InProcessServerBuilder.forName(name).directExecutor().addService(router).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    IcapSettings settings =
        new IcapSettings(
            0,
            "127.0.0.1",
            "unused",
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            1024,
            1 << 20,
            4,
            8,
            Duration.ofSeconds(10),
            "X-Sieve-Tenant",
            "10.9.0.0/16=district-9",
            "block",
            "open-district=allow",
            Optional.of("https://help.example.edu/review?id={request_id}&c={category}"));
    IcapService service =
        new IcapService(
            settings,
            new SieveClient(ClassifierGrpc.newBlockingStub(channel), 8),
            TenantResolver.of(settings.tenantHeader(), settings.tenantByClient()),
            UnavailablePolicy.of(settings.onUnavailable(), settings.onUnavailableTenants()),
            new BlockPage(Taxonomy.v1(), settings.reviewUrl()));
    server =
        IcapServer.start(
            "127.0.0.1", 0, service, settings.maxConnections(), settings.idleTimeout());
  }

  @AfterEach
  void stop() {
    server.close();
    channel.shutdownNow();
    grpc.shutdownNow();
  }

  /** One ICAP connection with a reader for responses. */
  private final class Connection implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Connection() throws IOException {
      socket = new Socket("127.0.0.1", server.port());
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void send(String message) throws IOException {
      out.write(message.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** The ICAP status line and header block (up to the empty line). */
    String head() throws IOException, IcapProtocolException {
      StringBuilder head = new StringBuilder();
      String line;
      while (!(line = IcapParser.readLine(in, false)).isEmpty()) {
        head.append(line).append('\n');
      }
      return head.toString();
    }

    /** After a head with res-hdr/res-body: the HTTP head, then the de-chunked body. */
    String[] encapsulatedResponse(String icapHead) throws IOException, IcapProtocolException {
      int bodyOffset = Integer.parseInt(icapHead.replaceAll("(?s).*res-body=(\\d+).*", "$1"));
      String http = new String(in.readNBytes(bodyOffset), StandardCharsets.ISO_8859_1);
      ChunkedBody body = new ChunkedBody(1 << 20);
      body.readUntilLastChunk(in);
      return new String[] {http, new String(body.kept(), StandardCharsets.UTF_8)};
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String reqmod(String url, String extraHeaders) {
    String http =
        "GET "
            + url
            + " HTTP/1.1\r\nHost: "
            + url.replaceAll("https?://([^/]+).*", "$1")
            + "\r\n\r\n";
    return "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nAllow: 204\r\nPreview: 0\r\n"
        + extraHeaders
        + "Encapsulated: req-hdr=0, null-body="
        + http.length()
        + "\r\n\r\n"
        + http;
  }

  private static String respmod(
      String contentType, String body, boolean preview, boolean allow204) {
    String req = "GET http://pages.example.org/a HTTP/1.1\r\nHost: pages.example.org\r\n\r\n";
    String res =
        "HTTP/1.1 200 OK\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n";
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    return "RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
        + (allow204 ? "Allow: 204\r\n" : "")
        + (preview ? "Preview: 0\r\n" : "")
        + "Encapsulated: req-hdr=0, res-hdr="
        + req.length()
        + ", res-body="
        + (req.length() + res.length())
        + "\r\n\r\n"
        + req
        + res
        + (preview ? "0\r\n\r\n" : chunked);
  }

  @Test
  void optionsAdvertises204AndAZeroBytePreview() throws Exception {
    try (Connection c = new Connection()) {
      c.send("OPTIONS icap://127.0.0.1/respmod ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
      String head = c.head();
      assertThat(head)
          .startsWith("ICAP/1.0 200 OK")
          .contains("Methods: RESPMOD")
          .contains("Allow: 204")
          .contains("Preview: 0")
          .contains("ISTag: \"sieve-");
    }
  }

  @Test
  void reqmodBlocksWithTheBlockPageAndAllowsWith204OnOneKeptAliveConnection() throws Exception {
    try (Connection c = new Connection()) {
      c.send(reqmod("http://www.pokerstars.com/", ""));
      String head = c.head();
      assertThat(head).startsWith("ICAP/1.0 200 OK").contains("Encapsulated: res-hdr=0, res-body=");
      String[] blocked = c.encapsulatedResponse(head);
      assertThat(blocked[0])
          .startsWith("HTTP/1.1 403 Forbidden")
          .contains("Content-Type: text/html");
      assertThat(blocked[1])
          .contains("This page is blocked")
          .contains("Gambling")
          .contains("it is a gambling site")
          .contains("Request id: <code>" + router.calls.get(0).getRequestId() + "</code>")
          .contains(
              "https://help.example.edu/review?id="
                  + router.calls.get(0).getRequestId()
                  + "&amp;c=gambling");

      c.send(reqmod("http://www.wikipedia.org/wiki/Volcano", ""));
      assertThat(c.head()).startsWith("ICAP/1.0 204 No Content");
    }
    assertThat(router.calls)
        .extracting(ClassifyRequest::getUrl)
        .containsExactly("http://www.pokerstars.com/", "http://www.wikipedia.org/wiki/Volcano");
    assertThat(router.calls).allSatisfy(call -> assertThat(call.getHtml().isEmpty()).isTrue());
  }

  @Test
  void respmodAsksForTheRestOfAnHtmlPageThenClassifiesItsText() throws Exception {
    String page = "<html><body><p>graphic gore everywhere</p></body></html>";
    try (Connection c = new Connection()) {
      c.send(respmod("text/html; charset=utf-8", page, true, true));
      assertThat(c.head()).startsWith("ICAP/1.0 100 Continue");
      c.send(Integer.toHexString(page.length()) + "\r\n" + page + "\r\n0\r\n\r\n");
      String head = c.head();
      String[] blocked = c.encapsulatedResponse(head);
      assertThat(blocked[0]).startsWith("HTTP/1.1 403");
      assertThat(blocked[1]).contains("Violence and gore").contains("violence or gore");
    }
    assertThat(router.calls).hasSize(1);
    assertThat(router.calls.get(0).getHtml().toStringUtf8()).isEqualTo(page);
    assertThat(router.calls.get(0).getUrl()).isEqualTo("http://pages.example.org/a");
  }

  @Test
  void aGzippedLatin1PageIsDecodedToUtf8BeforeItIsClassified() throws Exception {
    String page = "<p>caf\u00e9 with graphic gore</p>";
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(page.getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] body = zipped.toByteArray();
    String res =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Encoding: gzip\r\n\r\n";
    String head =
        "RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nAllow: 204\r\nEncapsulated: res-hdr=0, res-body="
            + res.length()
            + "\r\n\r\n"
            + res
            + Integer.toHexString(body.length)
            + "\r\n";
    try (Connection c = new Connection()) {
      c.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      c.out.write(body);
      c.send("\r\n0\r\n\r\n");
      String answer = c.head();
      assertThat(c.encapsulatedResponse(answer)[0]).startsWith("HTTP/1.1 403");
    }
    assertThat(router.calls.get(0).getHtml().toStringUtf8()).isEqualTo(page);
  }

  @Test
  void respmodAllowsANonHtmlBodyFromThePreviewWithoutAskingForIt() throws Exception {
    try (Connection c = new Connection()) {
      c.send(respmod("image/png", "not really a png", true, true));
      assertThat(c.head()).startsWith("ICAP/1.0 204");
      c.send(reqmod("http://www.wikipedia.org/", ""));
      assertThat(c.head()).as("the connection is still in step").startsWith("ICAP/1.0 204");
    }
    assertThat(router.calls).hasSize(1);
  }

  @Test
  void aClientThatDoesNotAccept204GetsItsMessageBackUnchanged() throws Exception {
    String page = "<p>a fine page about volcanoes</p>";
    try (Connection c = new Connection()) {
      c.send(respmod("text/html", page, false, false));
      String head = c.head();
      assertThat(head).startsWith("ICAP/1.0 200 OK");
      String[] echoed = c.encapsulatedResponse(head);
      assertThat(echoed[0])
          .isEqualTo(
              "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                  + page.length()
                  + "\r\n\r\n");
      assertThat(echoed[1]).isEqualTo(page);
    }
  }

  @Test
  void aPageOverTheBudgetIsJudgedOnItsFirstBytesAndStillEchoedWhole() throws Exception {
    String page = "<p>" + "volcano ".repeat(300) + "</p>";
    try (Connection c = new Connection()) {
      c.send(respmod("text/html", page, false, false));
      String head = c.head();
      assertThat(c.encapsulatedResponse(head)[1]).as("echoed unchanged").isEqualTo(page);
    }
    assertThat(router.calls.get(0).getHtml().size())
        .as("SIEVE_ICAP_MAX_BODY_BYTES in this test")
        .isEqualTo(1024);
  }

  @Test
  void withTheRouterDownTheTenantsPolicyDecidesAndTheAnswerComesAtOnce() throws Exception {
    router.down = true;
    try (Connection c = new Connection()) {
      c.send(reqmod("http://www.wikipedia.org/", ""));
      String head = c.head();
      assertThat(head).as("default: block").startsWith("ICAP/1.0 200 OK");
      assertThat(c.encapsulatedResponse(head)[1]).contains("could not check this page");

      c.send(reqmod("http://www.wikipedia.org/", "X-Sieve-Tenant: open-district\r\n"));
      assertThat(c.head()).as("a fail-open tenant").startsWith("ICAP/1.0 204");
    }
  }

  @Test
  void theTenantComesFromTheConfiguredHeaderElseTheClientAddressMap() throws Exception {
    try (Connection c = new Connection()) {
      c.send(
          reqmod("http://a.example/", "X-Sieve-Tenant: district-4\r\nX-Client-IP: 10.9.1.2\r\n"));
      c.head();
      c.send(reqmod("http://b.example/", "X-Client-IP: 10.9.1.2\r\n"));
      c.head();
      c.send(reqmod("http://c.example/", "X-Client-IP: 10.8.1.2\r\n"));
      c.head();
    }
    assertThat(router.calls)
        .extracting(ClassifyRequest::getTenantId)
        .containsExactly("district-4", "district-9", "");
  }

  @Test
  void theRoutersReasonCodeTellsOverloadFromABadItem() throws Exception {
    try (Connection c = new Connection()) {
      c.send(reqmod("http://busy.example/", ""));
      String head = c.head();
      assertThat(head)
          .as("OVERLOADED = no verdict: this tenant's policy blocks")
          .startsWith("ICAP/1.0 200 OK");
      assertThat(c.encapsulatedResponse(head)[1]).contains("could not check this page");
      c.send(reqmod("http://huge.example/", ""));
      assertThat(c.head()).as("BODY_TOO_LARGE = refused item: allowed").startsWith("ICAP/1.0 204");
    }
  }

  @Test
  void aVerdictWithTheWellnessAlertCarriesItInTheIcapAnswer() throws Exception {
    try (Connection c = new Connection()) {
      c.send(reqmod("http://crisis.example/help", ""));
      String head = c.head();
      assertThat(head).as("served: alert is not block").startsWith("ICAP/1.0 204");
      assertThat(head).containsPattern("X-Sieve-Alert: self_harm_help; request-id=\\S+\n");
      c.send(reqmod("http://www.wikipedia.org/", ""));
      assertThat(c.head()).startsWith("ICAP/1.0 204").doesNotContain("X-Sieve-Alert");
    }
  }

  @Test
  void aRequestTheRouterRejectsIsAllowedNotBlocked() throws Exception {
    try (Connection c = new Connection()) {
      c.send(reqmod("http://malformed.example/", ""));
      assertThat(c.head()).startsWith("ICAP/1.0 204");
    }
  }

  @Test
  void malformedInputGetsItsStatusAndTheConnectionIsClosed() throws Exception {
    try (Connection c = new Connection()) {
      c.send("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=zero\r\n\r\n");
      assertThat(c.head()).startsWith("ICAP/1.0 400 Bad Request").contains("Connection: close");
      assertThat(c.in.read()).isEqualTo(-1);
    }
    try (Connection c = new Connection()) {
      c.send("GET / HTTP/1.1\r\n\r\n");
      assertThat(c.head()).as("plain HTTP on the ICAP port").startsWith("ICAP/1.0 505");
    }
    try (Connection c = new Connection()) {
      c.send("OPTIONS icap://127.0.0.1/nope ICAP/1.0\r\n\r\n");
      assertThat(c.head()).startsWith("ICAP/1.0 404");
    }
  }

  @Test
  void connectionsOverTheBoundAreRefusedWith503() throws Exception {
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Connection c = new Connection();
        c.send("OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\n\r\n");
        assertThat(c.head()).startsWith("ICAP/1.0 200");
        held.add(c);
      }
      try (Connection extra = new Connection()) {
        assertThat(extra.head()).startsWith("ICAP/1.0 503");
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }
}
