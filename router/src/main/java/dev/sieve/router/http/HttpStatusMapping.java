package dev.sieve.router.http;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import io.grpc.Status;

/**
 * gRPC status → HTTP status, as Google's API design guide maps them (google/rpc/code.proto), with
 * one refinement: RESOURCE_EXHAUSTED is 413 when the reason says the request itself is too big
 * ({@code BODY_TOO_LARGE}, {@code BATCH_TOO_LARGE}: retrying cannot help) and 429 otherwise (the
 * router is overloaded: retry after a back-off).
 */
public final class HttpStatusMapping {

  private HttpStatusMapping() {}

  /**
   * The HTTP status for a failed call with {@code code} and Sieve reason {@code reason} ("" =
   * none).
   */
  public static int httpStatus(Status.Code code, String reason) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED ->
          ErrorReason.BODY_TOO_LARGE.name().equals(reason)
                  || ErrorReason.BATCH_TOO_LARGE.name().equals(reason)
              ? 413
              : 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  /** As {@link #httpStatus(Status.Code, String)} for a {@code google.rpc.Status}. */
  public static int httpStatus(com.google.rpc.Status status) {
    return httpStatus(
        Status.fromCodeValue(status.getCode()).getCode(), ErrorDetails.reason(status).orElse(""));
  }
}
