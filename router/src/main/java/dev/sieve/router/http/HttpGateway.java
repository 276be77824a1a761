package dev.sieve.router.http;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyBatchRequest;
import dev.sieve.proto.v1.ClassifyBatchResponse;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.ItemError;
import dev.sieve.proto.v1.ListCategoriesRequest;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's JSON/HTTP door for clients that do not speak gRPC (browser extensions, DNS agents,
 * scripts): {@code POST /v1/classify}, {@code POST /v1/classify:batch}, {@code GET /v1/categories}
 * and {@code GET /v1/openapi.json}, with the proto3 JSON mapping (protobuf-java-util's {@link
 * JsonFormat}, the maintained transcoding layer; Armeria is not available here).
 *
 * <p>Why inside the router process and through gRPC: each HTTP request becomes a gRPC call on an
 * in-process channel to the <em>same</em> {@code ClassifierService}, behind the same interceptors
 * (tenant authentication, telemetry), so deadlines, statuses, load shedding and metrics are those
 * of the gRPC API by construction, with no extra network hop or deployment (a gateway process would
 * add a hop, a second thing to scale and a second place for the two doors to drift apart). The
 * measured cost of the HTTP door relative to gRPC is in docs/benchmarks.md.
 *
 * <ul>
 *   <li>Deadline: {@code X-Sieve-Deadline-Ms} (milliseconds) or {@code grpc-timeout} (gRPC's
 *       format, e.g. {@code 500m}) becomes the call's deadline; none = no deadline, as for a gRPC
 *       caller.
 *   <li>Errors: the HTTP status per {@link HttpStatusMapping}, the body the call's {@code
 *       google.rpc.Status} as JSON with its ErrorInfo / BadRequest details. Malformed input is
 *       refused by the gateway itself with the same shape: unparsable or non-UTF-8 JSON, an unknown
 *       field or a wrong type (400 MALFORMED_JSON, with the parser's message), a body over {@code
 *       maxBodyBytes} (413 BODY_TOO_LARGE, not read past the limit), a non-JSON content type (415).
 *       Never a 500 for bad input.
 *   <li>{@code Authorization: Bearer <key>} is passed on as gRPC metadata (client authentication).
 *   <li>TLS: with the router's SIEVE_TLS on, the listener serves HTTPS with the gRPC port's own
 *       (reloading) certificate; HTTP clients authenticate with API keys, not client certificates.
 * </ul>
 */
public final class HttpGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpGateway.class);

  public static final String DEADLINE_HEADER = "X-Sieve-Deadline-Ms";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Pattern GRPC_TIMEOUT = Pattern.compile("([0-9]{1,8})([HMSmun])");
  private static final long MAX_DEADLINE_MS = TimeUnit.HOURS.toMillis(1);

  private static final JsonFormat.TypeRegistry ERROR_TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(ErrorInfo.getDescriptor())
          .add(BadRequest.getDescriptor())
          .build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();
  private static final JsonFormat.Printer ERROR_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(ERROR_TYPES);

  private final HttpGatewaySettings settings;
  private final Channel channel;
  private final Server inProcessServer;
  private final ManagedChannel ownedChannel;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Semaphore concurrent;
  private final byte[] openApi = OpenApiDocument.json().getBytes(StandardCharsets.UTF_8);

  private HttpGateway(
      HttpGatewaySettings settings,
      Channel channel,
      Server inProcessServer,
      ManagedChannel owned,
      SSLContext tls)
      throws IOException {
    this.settings = settings;
    this.channel = channel;
    this.inProcessServer = inProcessServer;
    this.ownedChannel = owned;
    this.concurrent = new Semaphore(settings.maxConnections());
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-gateway-", 0).factory());
    InetSocketAddress address =
        new InetSocketAddress(settings.bindHost(), Math.max(0, settings.port()));
    if (tls == null) {
      this.server = HttpServer.create(address, 1024);
    } else {
      HttpsServer https = HttpsServer.create(address, 1024);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      this.server = https;
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    log.info(
        "JSON/HTTP gateway listening on {}:{} ({})",
        settings.bindHost(),
        port(),
        tls == null ? "plaintext" : "TLS");
  }

  /**
   * Starts the gateway in front of {@code service} (the router's ClassifierService): an in-process
   * gRPC server with {@code interceptors} (outermost first), and the HTTP listener.
   */
  public static HttpGateway start(
      HttpGatewaySettings settings,
      BindableService service,
      List<ServerInterceptor> interceptors,
      SSLContext tls)
      throws IOException {
    String name = "sieve-http-gateway-" + UUID.randomUUID();
    List<ServerInterceptor> innermostLast = new ArrayList<>(interceptors);
    Collections.reverse(innermostLast);
    Server inProcess =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(service.bindService(), innermostLast))
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      return new HttpGateway(settings, channel, inProcess, channel, tls);
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      inProcess.shutdownNow();
      throw e;
    }
  }

  /**
   * Starts the gateway over any channel to a Classifier (tests; a gateway in front of a remote
   * router).
   */
  public static HttpGateway start(HttpGatewaySettings settings, Channel channel)
      throws IOException {
    return new HttpGateway(settings, channel, null, null, null);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (ownedChannel != null) {
      ownedChannel.shutdownNow();
    }
    if (inProcessServer != null) {
      inProcessServer.shutdownNow();
    }
  }

  // ---- request handling ----

  /** A refusal by the gateway itself, answered like a refused gRPC call. */
  private static final class Refusal extends Exception {
    final com.google.rpc.Status status;
    final int http;

    Refusal(int http, Status.Code code, ErrorReason reason, String message, String field) {
      super(message, null, false, false);
      this.status = ErrorDetails.status(code, reason, message, field);
      this.http = http;
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      if (!concurrent.tryAcquire()) {
        reply(
            exchange,
            new Refusal(
                429,
                Status.Code.RESOURCE_EXHAUSTED,
                ErrorReason.OVERLOADED,
                "HTTP gateway overloaded: more than "
                    + settings.maxConnections()
                    + " requests at once",
                null));
        return;
      }
      try {
        route(exchange);
      } finally {
        concurrent.release();
      }
    } catch (IOException e) {
      log.debug("http: client went away ({})", e.toString());
    } catch (RuntimeException e) {
      log.error("http: unexpected failure", e);
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    try {
      switch (path) {
        case "/v1/classify" -> {
          requireMethod(method, "POST");
          ClassifyRequest request = parse(exchange, ClassifyRequest.newBuilder()).build();
          reply(
              exchange,
              200,
              PRINTER.print(
                  stub(exchange, ClassifierGrpc.newBlockingStub(channel)).classify(request)));
        }
        case "/v1/classify:batch" -> {
          requireMethod(method, "POST");
          ClassifyBatchRequest batch = parse(exchange, ClassifyBatchRequest.newBuilder()).build();
          reply(exchange, 200, PRINTER.print(batch(exchange, batch)));
        }
        case "/v1/categories" -> {
          requireMethod(method, "GET");
          ListCategoriesRequest request =
              ListCategoriesRequest.newBuilder().setTenantId(tenantParameter(exchange)).build();
          reply(
              exchange,
              200,
              PRINTER.print(
                  stub(exchange, ClassifierGrpc.newBlockingStub(channel)).listCategories(request)));
        }
        case "/v1/openapi.json" -> {
          requireMethod(method, "GET");
          exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
          exchange.sendResponseHeaders(200, openApi.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(openApi);
          }
        }
        default ->
            throw new Refusal(
                404,
                Status.Code.NOT_FOUND,
                ErrorReason.NOT_FOUND,
                "no such path: " + abbreviate(path) + " (see GET /v1/openapi.json)",
                null);
      }
    } catch (Refusal refusal) {
      if (refusal.http == 405) {
        exchange.getResponseHeaders().set("Allow", allowed(path));
      }
      reply(exchange, refusal);
    } catch (StatusRuntimeException e) {
      com.google.rpc.Status status = ErrorDetails.richStatus(e);
      reply(exchange, HttpStatusMapping.httpStatus(status), ERROR_PRINTER.print(status));
    }
  }

  private static String allowed(String path) {
    return path.equals("/v1/categories") || path.equals("/v1/openapi.json") ? "GET" : "POST";
  }

  private static void requireMethod(String method, String expected) throws Refusal {
    if (!method.equals(expected)) {
      throw new Refusal(
          405,
          Status.Code.UNIMPLEMENTED,
          ErrorReason.METHOD_NOT_ALLOWED,
          method + " not allowed here; use " + expected,
          null);
    }
  }

  private ClassifyBatchResponse batch(HttpExchange exchange, ClassifyBatchRequest batch)
      throws Refusal {
    if (batch.getRequestsCount() == 0) {
      throw new Refusal(
          400,
          Status.Code.INVALID_ARGUMENT,
          ErrorReason.EMPTY_REQUEST,
          "batch has no requests",
          "requests");
    }
    if (batch.getRequestsCount() > settings.maxBatchItems()) {
      throw new Refusal(
          413,
          Status.Code.RESOURCE_EXHAUSTED,
          ErrorReason.BATCH_TOO_LARGE,
          "batch has "
              + batch.getRequestsCount()
              + " requests; the limit is "
              + settings.maxBatchItems()
              + " (SIEVE_HTTP_MAX_BATCH_ITEMS)",
          "requests");
    }
    ClassifierGrpc.ClassifierFutureStub stub =
        stub(exchange, ClassifierGrpc.newFutureStub(channel));
    Semaphore window = new Semaphore(settings.batchConcurrency());
    List<ListenableFuture<ClassifyResponse>> calls = new ArrayList<>(batch.getRequestsCount());
    try {
      for (ClassifyRequest request : batch.getRequestsList()) {
        window.acquire();
        ListenableFuture<ClassifyResponse> call = stub.classify(request);
        call.addListener(window::release, MoreExecutors.directExecutor());
        calls.add(call);
      }
      ClassifyBatchResponse.Builder response = ClassifyBatchResponse.newBuilder();
      for (int i = 0; i < calls.size(); i++) {
        String requestId = batch.getRequests(i).getRequestId();
        try {
          ClassifyResponse verdict = calls.get(i).get();
          response.addResponses(
              ClassifyStreamResponse.newBuilder()
                  .setRequestId(verdict.getRequestId())
                  .setResponse(verdict));
        } catch (ExecutionException e) {
          response.addResponses(
              ClassifyStreamResponse.newBuilder()
                  .setRequestId(requestId)
                  .setError(itemError(e.getCause())));
        }
      }
      return response.build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      calls.forEach(call -> call.cancel(true));
      throw new Refusal(
          503,
          Status.Code.UNAVAILABLE,
          ErrorReason.SHUTTING_DOWN,
          "gateway is shutting down",
          null);
    }
  }

  static ItemError itemError(Throwable error) {
    Status status = Status.fromThrowable(error);
    return ItemError.newBuilder()
        .setCode(status.getCode().name())
        .setMessage(status.getDescription() == null ? "" : status.getDescription())
        .setReason(ErrorDetails.reason(error).orElse(""))
        .build();
  }

  /** The stub with the request's deadline and credentials. */
  private <S extends AbstractStub<S>> S stub(HttpExchange exchange, S stub) throws Refusal {
    Long deadlineMs =
        deadlineMillis(
            exchange.getRequestHeaders().getFirst(DEADLINE_HEADER),
            exchange.getRequestHeaders().getFirst("grpc-timeout"));
    if (deadlineMs != null) {
      stub = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      Metadata headers = new Metadata();
      try {
        headers.put(AUTHORIZATION, authorization);
      } catch (IllegalArgumentException e) {
        throw new Refusal(
            401,
            Status.Code.UNAUTHENTICATED,
            ErrorReason.UNAUTHENTICATED,
            "the Authorization header is not valid ASCII",
            null);
      }
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return stub;
  }

  /**
   * The deadline in milliseconds from {@code X-Sieve-Deadline-Ms} (wins) or {@code grpc-timeout};
   * null when neither is present.
   */
  static Long deadlineMillis(String sieveHeader, String grpcTimeout) throws Refusal {
    if (sieveHeader != null) {
      long ms;
      try {
        ms = Long.parseLong(sieveHeader.strip());
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (ms <= 0 || ms > MAX_DEADLINE_MS) {
        throw new Refusal(
            400,
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_DEADLINE,
            DEADLINE_HEADER
                + " must be a whole number of milliseconds from 1 to "
                + MAX_DEADLINE_MS
                + ", got '"
                + abbreviate(sieveHeader)
                + "'",
            DEADLINE_HEADER);
      }
      return ms;
    }
    if (grpcTimeout != null) {
      Matcher m = GRPC_TIMEOUT.matcher(grpcTimeout.strip());
      if (!m.matches()) {
        throw new Refusal(
            400,
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_DEADLINE,
            "grpc-timeout must be 1 to 8 digits and a unit (H, M, S, m, u, n), got '"
                + abbreviate(grpcTimeout)
                + "'",
            "grpc-timeout");
      }
      long amount = Long.parseLong(m.group(1));
      long ms =
          switch (m.group(2)) {
            case "H" -> TimeUnit.HOURS.toMillis(amount);
            case "M" -> TimeUnit.MINUTES.toMillis(amount);
            case "S" -> TimeUnit.SECONDS.toMillis(amount);
            case "m" -> amount;
            case "u" -> Math.max(1, TimeUnit.MICROSECONDS.toMillis(amount));
            default -> Math.max(1, TimeUnit.NANOSECONDS.toMillis(amount));
          };
      return Math.min(Math.max(ms, 1), MAX_DEADLINE_MS);
    }
    return null;
  }

  private static String tenantParameter(HttpExchange exchange) throws Refusal {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return "";
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals("tenantId") || key.equals("tenant_id")) {
        try {
          return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new Refusal(
              400,
              Status.Code.INVALID_ARGUMENT,
              ErrorReason.MALFORMED_JSON,
              "tenantId is not valid percent-encoding",
              "tenant_id");
        }
      }
    }
    return "";
  }

  /**
   * Reads the body within the limit, checks it is UTF-8 JSON, and parses it into {@code builder}.
   */
  private <B extends Message.Builder> B parse(HttpExchange exchange, B builder)
      throws Refusal, IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json") && !media.endsWith("+json")) {
        throw new Refusal(
            415,
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json, got '" + abbreviate(type) + "'",
            null);
      }
    }
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > settings.maxBodyBytes()) {
          throw tooLarge(Long.parseLong(declared.strip()));
        }
      } catch (NumberFormatException e) {
        // The HTTP server refuses a malformed Content-Length itself; nothing to add here.
      }
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(settings.maxBodyBytes() + 1);
    }
    if (body.length > settings.maxBodyBytes()) {
      throw tooLarge(-1);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Refusal(
          400,
          Status.Code.INVALID_ARGUMENT,
          ErrorReason.MALFORMED_JSON,
          "request body is not valid UTF-8",
          null);
    }
    if (text.isBlank()) {
      throw new Refusal(
          400,
          Status.Code.INVALID_ARGUMENT,
          ErrorReason.MALFORMED_JSON,
          "request body is empty: expected a JSON object ("
              + builder.getDescriptorForType().getFullName()
              + ")",
          null);
    }
    try {
      PARSER.merge(text, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new Refusal(
          400,
          Status.Code.INVALID_ARGUMENT,
          ErrorReason.MALFORMED_JSON,
          "request body is not a valid "
              + builder.getDescriptorForType().getFullName()
              + " in JSON: "
              + abbreviate(String.valueOf(e.getMessage()), 300),
          null);
    }
    return builder;
  }

  private Refusal tooLarge(long declared) {
    return new Refusal(
        413,
        Status.Code.RESOURCE_EXHAUSTED,
        ErrorReason.BODY_TOO_LARGE,
        "request body "
            + (declared >= 0 ? "is " + declared + " bytes, " : "is ")
            + "over the limit of "
            + settings.maxBodyBytes()
            + " bytes (SIEVE_HTTP_MAX_BODY_BYTES)",
        null);
  }

  private static void reply(HttpExchange exchange, Refusal refusal) throws IOException {
    if (refusal.http == 413) {
      // The rest of the body was never read: the connection cannot carry another request.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    try {
      reply(exchange, refusal.http, ERROR_PRINTER.print(refusal.status));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (status == 429 || status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String abbreviate(String s) {
    return abbreviate(s, 64);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
