package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a precise status before any tier is called; never INTERNAL. */
class BadInputTest {

  private static final int MAX_BODY = 1000;

  private FakeTier urlTier;
  private FakeTier content;
  private RouterHarness harness;

  @BeforeEach
  void start() {
    urlTier = new FakeTier("url", Taxonomy.v1().ids());
    content = new FakeTier("content", Taxonomy.v1().ids());
    harness =
        RouterHarness.builder()
            .tier(TierName.URL, urlTier)
            .tier(TierName.CONTENT, content)
            .maxBodyBytes(MAX_BODY)
            .build();
  }

  @AfterEach
  void stop() {
    assertThat(urlTier.calls() + content.calls()).as("bad input never reaches a tier").isZero();
    harness.close();
  }

  private void assertStatus(ClassifyRequest request, Status.Code code, String description) {
    assertThatThrownBy(() -> harness.classify(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).startsWith(description);
            });
  }

  @Test
  void emptyRequestIsInvalidArgument() {
    assertStatus(
        ClassifyRequest.getDefaultInstance(),
        Status.Code.INVALID_ARGUMENT,
        "request has no url, html or text");
    assertStatus(
        ClassifyRequest.newBuilder().setUrl("   ").setTenantId("t").build(),
        Status.Code.INVALID_ARGUMENT,
        "request has no url, html or text");
  }

  @Test
  void malformedUrlIsInvalidArgumentWithTheNormalizersReason() {
    assertStatus(
        ClassifyRequest.newBuilder().setUrl("javascript:alert(1)").build(),
        Status.Code.INVALID_ARGUMENT,
        "url rejected (UNSUPPORTED_SCHEME): 'javascript:' URLs name no web site");
    assertStatus(
        ClassifyRequest.newBuilder().setUrl("http://exa mple.com/").build(),
        Status.Code.INVALID_ARGUMENT,
        "url rejected (MALFORMED_HOST)");
    assertStatus(
        ClassifyRequest.newBuilder().setUrl("http://example.com:99999/").build(),
        Status.Code.INVALID_ARGUMENT,
        "url rejected (MALFORMED_PORT)");
  }

  @Test
  void malformedUrlIsRejectedEvenWithABody() {
    assertStatus(
        ClassifyRequest.newBuilder()
            .setUrl("http://[::1/")
            .setText(ByteString.copyFromUtf8("ok"))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "url rejected (MALFORMED_HOST)");
  }

  @Test
  void urlOver8KiBIsInvalidArgument() {
    String url = "https://example.com/" + "a".repeat(8200);
    assertStatus(
        ClassifyRequest.newBuilder().setUrl(url).build(),
        Status.Code.INVALID_ARGUMENT,
        "url is longer than 8192 bytes");
  }

  @Test
  void bodyOverTheLimitIsResourceExhausted() {
    assertStatus(
        ClassifyRequest.newBuilder()
            .setUrl("https://example.com/")
            .setHtml(ByteString.copyFrom(new byte[MAX_BODY + 1]))
            .build(),
        Status.Code.RESOURCE_EXHAUSTED,
        "body (html + text) is 1001 bytes; the limit is 1000 bytes");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setHtml(ByteString.copyFromUtf8("a".repeat(600)))
            .setText(ByteString.copyFromUtf8("b".repeat(600)))
            .build(),
        Status.Code.RESOURCE_EXHAUSTED,
        "body (html + text) is 1200 bytes");
  }

  @Test
  void invalidUtf8IsInvalidArgumentWithTheOffset() {
    byte[] html = "<p>caf\u00e9</p>".getBytes(StandardCharsets.UTF_8);
    byte[] broken = Arrays.copyOf(html, html.length + 2);
    broken[html.length] = (byte) 0xC3; // truncated two-byte sequence
    broken[html.length + 1] = (byte) 0x28;
    assertStatus(
        ClassifyRequest.newBuilder().setHtml(ByteString.copyFrom(broken)).build(),
        Status.Code.INVALID_ARGUMENT,
        "html is not valid UTF-8 (first invalid byte near offset");
    assertStatus(
        ClassifyRequest.newBuilder()
            .setUrl("https://example.com/")
            .setText(ByteString.copyFrom(new byte[] {'o', 'k', (byte) 0xFF}))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "text is not valid UTF-8");
  }

  @Test
  void unknownTierInTheFilterIsInvalidArgument() {
    assertStatus(
        ClassifyRequest.newBuilder().setUrl("https://example.com/").addTiers("URL").build(),
        Status.Code.INVALID_ARGUMENT,
        "unknown tier 'URL' in tiers");
  }

  @Test
  void textOnlyRequestWithAnEmptyUrlIsFine() {
    content.answer(Map.of("news", 0.2));
    ClassifyResponse response =
        harness.classify(
            ClassifyRequest.newBuilder()
                .setUrl("")
                .setText(ByteString.copyFromUtf8("hello"))
                .build());
    assertThat(response.getNormalizedUrl()).isEmpty();
    assertThat(content.calls()).isEqualTo(1);
    content.requests().clear();
  }
}
