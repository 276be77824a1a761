package dev.sieve.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** classify-batch branches on the router's reason codes, not on status messages. */
class BatchErrorReasonTest {

  @Test
  void aBodyOverTheLimitIsNotALoadSignalButOverloadIs() {
    assertThat(
            BatchRunner.loadSignal(
                ErrorDetails.error(
                    Status.Code.RESOURCE_EXHAUSTED,
                    ErrorReason.BODY_TOO_LARGE,
                    "body too big",
                    "html")))
        .isFalse();
    assertThat(
            BatchRunner.loadSignal(
                ErrorDetails.error(Status.Code.RESOURCE_EXHAUSTED, ErrorReason.OVERLOADED, "busy")))
        .isTrue();
    assertThat(BatchRunner.loadSignal(Status.RESOURCE_EXHAUSTED.asRuntimeException()))
        .as("an older router without details: treated as load, as before")
        .isTrue();
    assertThat(
            BatchRunner.loadSignal(
                ErrorDetails.error(
                    Status.Code.INVALID_ARGUMENT, ErrorReason.MALFORMED_HOST, "bad host", "url")))
        .isFalse();
  }
}
