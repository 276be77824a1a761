package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.support.StreamCollector;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal carries google.rpc.Status details over the wire: an ErrorInfo with the stable
 * reason in domain sieve.dev and a BadRequest violation naming the field, so clients branch on
 * codes.
 */
class ErrorDetailsTest {

  private FakeTier urlTier;
  private RouterHarness harness;

  @BeforeEach
  void start() {
    urlTier = new FakeTier("url", Taxonomy.v1().ids());
    harness = RouterHarness.builder().tier(TierName.URL, urlTier).maxBodyBytes(100).build();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private com.google.rpc.Status refusal(ClassifyRequest request) {
    Throwable error = catchThrowable(() -> harness.classify(request));
    assertThat(error).as("refused").isNotNull();
    com.google.rpc.Status rich = StatusProto.fromThrowable(error);
    assertThat(rich).as("google.rpc.Status in the trailers").isNotNull();
    assertThat(rich.getCode()).isEqualTo(Status.fromThrowable(error).getCode().value());
    assertThat(rich.getMessage()).isEqualTo(Status.fromThrowable(error).getDescription());
    return rich;
  }

  private static ErrorInfo errorInfo(com.google.rpc.Status status) throws Exception {
    return status.getDetailsList().stream()
        .filter(a -> a.is(ErrorInfo.class))
        .findFirst()
        .orElseThrow()
        .unpack(ErrorInfo.class);
  }

  private static String violatedField(com.google.rpc.Status status) throws Exception {
    return status.getDetailsList().stream()
        .filter(a -> a.is(BadRequest.class))
        .findFirst()
        .orElseThrow()
        .unpack(BadRequest.class)
        .getFieldViolations(0)
        .getField();
  }

  @Test
  void eachRefusalCarriesItsReasonAndField() throws Exception {
    record Case(ClassifyRequest request, Status.Code code, String reason, String field) {}
    Case[] cases = {
      new Case(
          ClassifyRequest.getDefaultInstance(),
          Status.Code.INVALID_ARGUMENT,
          "EMPTY_REQUEST",
          "url"),
      new Case(
          RouterHarness.url("http://exa mple.com/"),
          Status.Code.INVALID_ARGUMENT,
          "MALFORMED_HOST",
          "url"),
      new Case(
          RouterHarness.url("http://example.com:99999/"),
          Status.Code.INVALID_ARGUMENT,
          "MALFORMED_PORT",
          "url"),
      new Case(
          RouterHarness.url("javascript:alert(1)"),
          Status.Code.INVALID_ARGUMENT,
          "UNSUPPORTED_SCHEME",
          "url"),
      new Case(
          RouterHarness.url("https://example.com/" + "a".repeat(8200)),
          Status.Code.INVALID_ARGUMENT,
          "URL_TOO_LONG",
          "url"),
      new Case(
          RouterHarness.url("https://example.com/").toBuilder().addTiers("nope").build(),
          Status.Code.INVALID_ARGUMENT,
          "UNKNOWN_TIER",
          "tiers[0]"),
      new Case(
          ClassifyRequest.newBuilder().setHtml(ByteString.copyFrom(new byte[101])).build(),
          Status.Code.RESOURCE_EXHAUSTED,
          "BODY_TOO_LARGE",
          "html"),
      new Case(
          ClassifyRequest.newBuilder()
              .setText(ByteString.copyFrom(new byte[] {'o', (byte) 0xFF}))
              .build(),
          Status.Code.INVALID_ARGUMENT,
          "INVALID_UTF8",
          "text"),
    };
    for (Case c : cases) {
      com.google.rpc.Status status = refusal(c.request());
      assertThat(status.getCode()).as(c.reason()).isEqualTo(c.code().value());
      ErrorInfo info = errorInfo(status);
      assertThat(info.getDomain()).isEqualTo("sieve.dev");
      assertThat(info.getReason()).isEqualTo(c.reason());
      assertThat(violatedField(status)).as(c.reason()).isEqualTo(c.field());
    }
    assertThat(urlTier.calls()).isZero();
  }

  @Test
  void overloadCarriesOverloaded() {
    RouterHarness full = RouterHarness.builder().tier(TierName.URL, urlTier).maxInFlight(0).build();
    try {
      Throwable error =
          catchThrowable(() -> full.classify(RouterHarness.url("https://example.com/")));
      assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ErrorDetails.reason(error)).contains("OVERLOADED");
    } finally {
      full.close();
    }
  }

  @Test
  void streamItemErrorsCarryTheReason() {
    StreamCollector collector = new StreamCollector();
    var requests = harness.asyncStub().classifyStream(collector);
    requests.onNext(
        RouterHarness.url("http://exa mple.com/").toBuilder().setRequestId("bad").build());
    requests.onCompleted();
    ClassifyStreamResponse item = collector.done.orTimeout(10, TimeUnit.SECONDS).join().get(0);
    assertThat(item.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(item.getError().getReason()).isEqualTo("MALFORMED_HOST");
  }
}
