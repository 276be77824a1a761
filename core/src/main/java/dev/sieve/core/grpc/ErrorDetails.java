package dev.sieve.core.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/**
 * Errors of the public API as {@code google.rpc.Status} with details, so that clients branch on a
 * code instead of parsing a message: every refusal carries an {@code ErrorInfo} (stable {@link
 * ErrorReason}, domain {@value #DOMAIN}) and, when one request field is at fault, a {@code
 * BadRequest} field violation naming it.
 *
 * <p>Built with grpc-java's {@link StatusProto}: the details travel in the standard {@code
 * grpc-status-details-bin} trailer, which every gRPC implementation can decode (Python: {@code
 * grpc_status.rpc_status.from_call}), and the status description stays the human-readable message.
 */
public final class ErrorDetails {

  /** The ErrorInfo domain of Sieve's own reasons. */
  public static final String DOMAIN = "sieve.dev";

  private ErrorDetails() {}

  /**
   * A status exception with an ErrorInfo and, when {@code field} is not null, a field violation.
   */
  public static StatusException error(
      Status.Code code, ErrorReason reason, String message, String field) {
    return StatusProto.toStatusException(status(code, reason, message, field));
  }

  /** As {@link #error} without a field. */
  public static StatusException error(Status.Code code, ErrorReason reason, String message) {
    return error(code, reason, message, null);
  }

  /** The {@code google.rpc.Status} that {@link #error} sends. */
  public static com.google.rpc.Status status(
      Status.Code code, ErrorReason reason, String message, String field) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder().setReason(reason.name()).setDomain(DOMAIN).build()));
    if (field != null) {
      status.addDetails(
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(field)
                          .setDescription(message))
                  .build()));
    }
    return status.build();
  }

  /**
   * The rich status of a failed call: the details the server sent, or one built from the plain
   * status (code and description, no details) when it sent none.
   */
  public static com.google.rpc.Status richStatus(Throwable error) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(error);
    if (rich != null) {
      return rich;
    }
    Status status = Status.fromThrowable(error);
    return com.google.rpc.Status.newBuilder()
        .setCode(status.getCode().value())
        .setMessage(status.getDescription() == null ? "" : status.getDescription())
        .build();
  }

  /** The Sieve reason code a failed call carries ({@code ErrorInfo.reason} in domain sieve.dev). */
  public static Optional<String> reason(Throwable error) {
    return reason(StatusProto.fromThrowable(error));
  }

  /** The Sieve reason code in {@code status}'s details, if any. */
  public static Optional<String> reason(com.google.rpc.Status status) {
    if (status == null) {
      return Optional.empty();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (DOMAIN.equals(info.getDomain())) {
            return Optional.of(info.getReason());
          }
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** True when a failed call carries {@code reason}. */
  public static boolean hasReason(Throwable error, ErrorReason reason) {
    return reason(error).filter(reason.name()::equals).isPresent();
  }
}
