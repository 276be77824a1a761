package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sieve.proto.v1.ClassifyRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of request validation (Jazzer), from the wire bytes on: bytes that do not
 * parse are what the server's guard answers with INVALID_ARGUMENT; a request that parses is
 * validated or refused with INVALID_ARGUMENT or RESOURCE_EXHAUSTED and a description — never
 * another status and never an exception (which the server would turn into UNKNOWN). Every test run
 * replays the committed inputs under {@code
 * src/test/resources/dev/sieve/router/RequestValidatorFuzzTestInputs/} and fuzzes for a few seconds
 * (docs/reliability.md, "Wire input and operations").
 */
class RequestValidatorFuzzTest {

  /** Inputs tried in this JVM, printed at the end (the figure docs/reliability.md reports). */
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @AfterAll
  static void reportExecutions() {
    System.out.println("RequestValidatorFuzzTest: " + EXECUTIONS.get() + " inputs");
  }

  private static final RequestValidator VALIDATOR = new RequestValidator(4096);

  @FuzzTest(maxDuration = "10s")
  void anyRequestIsValidatedOrRefusedWithAPreciseStatus(FuzzedDataProvider data) {
    EXECUTIONS.incrementAndGet();
    ClassifyRequest request;
    if (data.consumeBoolean()) {
      // Structured: fields the validator reads, with arbitrary contents (html/text may be invalid
      // UTF-8).
      ClassifyRequest.Builder builder =
          ClassifyRequest.newBuilder()
              .setUrl(data.consumeString(600))
              .setTenantId(data.consumeString(40))
              .setRequestId(data.consumeString(40));
      int tiers = data.consumeInt(0, 4);
      for (int i = 0; i < tiers; i++) {
        builder.addTiers(data.consumeString(12));
      }
      builder.setHtml(ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 6000))));
      request = builder.setText(ByteString.copyFrom(data.consumeRemainingAsBytes())).build();
    } else {
      try {
        request = ClassifyRequest.parseFrom(data.consumeRemainingAsBytes());
      } catch (InvalidProtocolBufferException malformed) {
        return; // refused before validation: MalformedRequestGuard answers INVALID_ARGUMENT
      }
    }
    try {
      ValidatedRequest validated = VALIDATOR.validate(request);
      assertThat(validated.hasUrl() || validated.hasBody()).isTrue();
      if (validated.hasUrl()) {
        assertThat(validated.canonicalUrl()).isEqualTo(validated.url().canonical());
      }
    } catch (StatusException refused) {
      assertThat(refused.getStatus().getCode())
          .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).isNotBlank();
    }
  }
}
