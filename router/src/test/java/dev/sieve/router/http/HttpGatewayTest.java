package dev.sieve.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyBatchResponse;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ListCategoriesResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.auth.RouterSecurity;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON/HTTP API called with a plain HTTP client (java.net.http), through the production wiring
 * ({@code Router.serveHttp}: an in-process gRPC server in front of the router's own service).
 */
class HttpGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GATEWAY_BODY_LIMIT = 64 * 1024;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RouterHarness harness;
  private HttpGateway gateway;

  private void start(RouterHarness h) throws Exception {
    harness = h;
    gateway =
        h.router()
            .serveHttp(
                new HttpGatewaySettings(0, "127.0.0.1", GATEWAY_BODY_LIMIT, 3, 2, 64),
                null,
                RouterSecurity.none());
  }

  private void start(FakeTier url) throws Exception {
    start(RouterHarness.builder().tier(TierName.URL, url).maxBodyBytes(1000).build());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (harness != null) {
      harness.close();
    }
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postBytes(String path, byte[] body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts a google.rpc.Status JSON error body with the reason (and field, when not null). */
  private static JsonNode assertError(
      HttpResponse<String> response, int http, int grpcCode, String reason, String field)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(http);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("code").asInt()).isEqualTo(grpcCode);
    assertThat(status.path("message").asText()).isNotBlank();
    JsonNode info = null;
    JsonNode badRequest = null;
    for (JsonNode detail : status.path("details")) {
      if (detail.path("@type").asText().equals("type.googleapis.com/google.rpc.ErrorInfo")) {
        info = detail;
      }
      if (detail.path("@type").asText().equals("type.googleapis.com/google.rpc.BadRequest")) {
        badRequest = detail;
      }
    }
    assertThat(info).as("ErrorInfo in " + response.body()).isNotNull();
    assertThat(info.path("domain").asText()).isEqualTo("sieve.dev");
    assertThat(info.path("reason").asText()).isEqualTo(reason);
    if (field != null) {
      assertThat(badRequest).as("BadRequest in " + response.body()).isNotNull();
      assertThat(badRequest.path("fieldViolations").get(0).path("field").asText()).isEqualTo(field);
    }
    return status;
  }

  @Test
  void classifyAnswersTheSameVerdictAsGrpcInTheProtoJsonMapping() throws Exception {
    start(new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.97)));
    HttpResponse<String> response =
        post(
            "/v1/classify",
            "{\"url\":\"https://casino.example/\",\"tenantId\":\"school-1\",\"requestId\":\"r-1\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ClassifyResponse.Builder parsed = ClassifyResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), parsed);
    assertThat(parsed.getRequestId()).isEqualTo("r-1");
    assertThat(parsed.getAction()).isEqualTo(Action.ACTION_BLOCK);
    assertThat(parsed.getPrimaryCategory()).isEqualTo("gambling");
    assertThat(parsed.getNormalizedUrl()).isEqualTo("https://casino.example/");
    assertThat(parsed.getDefaultPolicyApplied()).isTrue();
    JsonNode tree = JSON.readTree(response.body());
    assertThat(tree.path("alert").isBoolean())
        .as("fields with default values are printed too")
        .isTrue();
    assertThat(tree.path("action").asText()).isEqualTo(Action.ACTION_BLOCK.name());

    ClassifyResponse grpc =
        harness
            .stub()
            .classify(
                ClassifyRequest.newBuilder()
                    .setUrl("https://casino.example/")
                    .setTenantId("school-1")
                    .setRequestId("r-1")
                    .build());
    assertThat(parsed.build().toBuilder().clearCacheHit().clearTtlSeconds().clearTiers().build())
        .isEqualTo(grpc.toBuilder().clearCacheHit().clearTtlSeconds().clearTiers().build());
    // snake_case field names are accepted too (the proto3 JSON mapping's parser rule).
    assertThat(
            post("/v1/classify", "{\"url\":\"https://casino.example/\",\"tenant_id\":\"school-1\"}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void theRoutersRefusalsBecomeHttpStatusesWithTheirDetails() throws Exception {
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids());
    start(url);
    assertError(
        post("/v1/classify", "{\"url\":\"http://exa mple.com/\"}"),
        400,
        3,
        "MALFORMED_HOST",
        "url");
    assertError(post("/v1/classify", "{}"), 400, 3, "EMPTY_REQUEST", "url");
    assertError(
        post("/v1/classify", "{\"url\":\"https://a.example/\",\"tiers\":[\"nope\"]}"),
        400,
        3,
        "UNKNOWN_TIER",
        "tiers[0]");
    // html is bytes: base64 in JSON. 1200 bytes is over the router's limit (1000) but within the
    // gateway's.
    String html = Base64.getEncoder().encodeToString(new byte[1200]);
    assertError(
        post("/v1/classify", "{\"html\":\"" + html + "\"}"), 413, 8, "BODY_TOO_LARGE", "html");
    String invalidUtf8 = Base64.getEncoder().encodeToString(new byte[] {'o', (byte) 0xFF});
    assertError(
        post("/v1/classify", "{\"text\":\"" + invalidUtf8 + "\"}"), 400, 3, "INVALID_UTF8", "text");
    assertThat(url.calls()).isZero();
  }

  @Test
  void malformedBodiesAre400WithAPreciseMessageNever500() throws Exception {
    start(new FakeTier("url", Taxonomy.v1().ids()));
    JsonNode syntax =
        assertError(post("/v1/classify", "{\"url\": "), 400, 3, "MALFORMED_JSON", null);
    assertThat(syntax.path("message").asText())
        .startsWith("request body is not a valid sieve.v1.ClassifyRequest in JSON");
    JsonNode unknown =
        assertError(
            post("/v1/classify", "{\"uri\":\"https://a.example/\"}"),
            400,
            3,
            "MALFORMED_JSON",
            null);
    assertThat(unknown.path("message").asText()).contains("uri");
    JsonNode type =
        assertError(
            post("/v1/classify", "{\"url\":\"https://a.example/\",\"bypassCache\":\"maybe\"}"),
            400,
            3,
            "MALFORMED_JSON",
            null);
    assertThat(type.path("message").asText()).contains("maybe");
    assertError(post("/v1/classify", "{\"html\":\"not base64!\"}"), 400, 3, "MALFORMED_JSON", null);
    assertError(post("/v1/classify", "[1,2]"), 400, 3, "MALFORMED_JSON", null);
    assertError(post("/v1/classify", ""), 400, 3, "MALFORMED_JSON", null);
    assertError(
        postBytes("/v1/classify", new byte[] {'{', '"', 'u', (byte) 0xC3, '"', '}'}),
        400,
        3,
        "MALFORMED_JSON",
        null);
    assertError(
        post("/v1/classify", "{\"url\":\"" + "a".repeat(GATEWAY_BODY_LIMIT) + "\"}"),
        413,
        8,
        "BODY_TOO_LARGE",
        null);
    HttpResponse<String> form =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/classify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("url=https://a.example/"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(form, 415, 3, "UNSUPPORTED_MEDIA_TYPE", null);
    assertError(get("/v1/nothing"), 404, 5, "NOT_FOUND", null);
    HttpResponse<String> wrongMethod = get("/v1/classify");
    assertError(wrongMethod, 405, 12, "METHOD_NOT_ALLOWED", null);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void theDeadlineHeaderBecomesTheCallsDeadline() throws Exception {
    // The only tier covering fail-closed categories hangs: with the caller's deadline the router
    // refuses with DEADLINE_EXCEEDED (never a fail-closed verdict) -> 504, long before the tier's 5
    // s.
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).hang();
    start(
        RouterHarness.builder()
            .tier(TierName.URL, url)
            .deadlineMargin(Duration.ofMillis(100))
            .build());
    try {
      long start = System.nanoTime();
      HttpResponse<String> response =
          post("/v1/classify", "{\"url\":\"https://slow.example/\"}", "X-Sieve-Deadline-Ms", "400");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(response.statusCode()).as(response.body()).isIn(504, 200);
      if (response.statusCode() == 504) {
        assertThat(JSON.readTree(response.body()).path("code").asInt()).isEqualTo(4);
      } else {
        ClassifyResponse.Builder partial = ClassifyResponse.newBuilder();
        JsonFormat.parser().merge(response.body(), partial);
        assertThat(partial.getTiersList())
            .anySatisfy(
                t -> {
                  assertThat(t.getState()).isEqualTo(TierState.TIER_STATE_TIMEOUT);
                  assertThat(t.getDetail()).startsWith("caller deadline");
                });
      }
      assertThat(millis)
          .as("bounded by the header's deadline, not the tier's 5 s timeout")
          .isLessThan(4000);
      HttpResponse<String> grpcFormat =
          post("/v1/classify", "{\"url\":\"https://slow2.example/\"}", "grpc-timeout", "300m");
      assertThat(grpcFormat.statusCode()).isIn(504, 200);
    } finally {
      url.releaseHanging();
    }
    assertError(
        post("/v1/classify", "{\"url\":\"https://a.example/\"}", "X-Sieve-Deadline-Ms", "soon"),
        400,
        3,
        "INVALID_DEADLINE",
        "X-Sieve-Deadline-Ms");
    assertError(
        post("/v1/classify", "{\"url\":\"https://a.example/\"}", "grpc-timeout", "5 seconds"),
        400,
        3,
        "INVALID_DEADLINE",
        "grpc-timeout");
  }

  @Test
  void anOverloadedRouterIs429WithRetryAfter() throws Exception {
    start(
        RouterHarness.builder()
            .tier(TierName.URL, new FakeTier("url", Taxonomy.v1().ids()))
            .maxInFlight(0)
            .build());
    HttpResponse<String> response = post("/v1/classify", "{\"url\":\"https://a.example/\"}");
    assertError(response, 429, 8, "OVERLOADED", null);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void batchAnswersEachItemInRequestOrderWithPerItemErrors() throws Exception {
    start(new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.97)));
    HttpResponse<String> response =
        post(
            "/v1/classify:batch",
            "{\"requests\":[{\"url\":\"https://a.example/\",\"requestId\":\"a\"},"
                + "{\"url\":\"http://exa mple.com/\",\"requestId\":\"bad\"},"
                + "{\"url\":\"https://c.example/\",\"requestId\":\"c\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ClassifyBatchResponse.Builder batch = ClassifyBatchResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), batch);
    assertThat(batch.getResponsesList())
        .extracting(r -> r.getRequestId())
        .containsExactly("a", "bad", "c");
    assertThat(batch.getResponses(0).getResponse().getAction()).isEqualTo(Action.ACTION_BLOCK);
    assertThat(batch.getResponses(1).getError().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(batch.getResponses(1).getError().getReason()).isEqualTo("MALFORMED_HOST");
    assertThat(batch.getResponses(2).hasResponse()).isTrue();

    assertError(
        post("/v1/classify:batch", "{\"requests\":[{},{},{},{}]}"),
        413,
        8,
        "BATCH_TOO_LARGE",
        "requests");
    assertError(
        post("/v1/classify:batch", "{\"requests\":[]}"), 400, 3, "EMPTY_REQUEST", "requests");
  }

  @Test
  void categoriesAndTheOpenApiDescriptionAreServed() throws Exception {
    start(new FakeTier("url", Taxonomy.v1().ids()));
    HttpResponse<String> categories = get("/v1/categories?tenantId=school-1");
    assertThat(categories.statusCode()).as(categories.body()).isEqualTo(200);
    ListCategoriesResponse.Builder list = ListCategoriesResponse.newBuilder();
    JsonFormat.parser().merge(categories.body(), list);
    assertThat(list.getCategoriesCount()).isGreaterThanOrEqualTo(Taxonomy.v1().size());
    assertThat(list.getDefaultPolicyApplied()).isTrue();

    HttpResponse<String> openApi = get("/v1/openapi.json");
    assertThat(openApi.statusCode()).isEqualTo(200);
    assertThat(openApi.body()).isEqualTo(OpenApiDocument.json());
    assertThat(JSON.readTree(openApi.body()).path("paths").has("/v1/classify")).isTrue();
  }

  @Test
  void theHttpStatusMappingFollowsTheGoogleApiGuide() {
    assertThat(HttpStatusMapping.httpStatus(Status.Code.UNAVAILABLE, "")).isEqualTo(503);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"))
        .isEqualTo(401);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.PERMISSION_DENIED, "TENANT_MISMATCH"))
        .isEqualTo(403);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.DEADLINE_EXCEEDED, "")).isEqualTo(504);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.RESOURCE_EXHAUSTED, "OVERLOADED"))
        .isEqualTo(429);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.RESOURCE_EXHAUSTED, "BODY_TOO_LARGE"))
        .isEqualTo(413);
    assertThat(HttpStatusMapping.httpStatus(Status.Code.INTERNAL, "")).isEqualTo(500);
  }
}
