package dev.sieve.core.scoring;

import io.grpc.Status;

/**
 * A scoring failure that carries the precise gRPC status its caller must see.
 *
 * <p>Tiers throw this instead of generic exceptions so that bad input always surfaces as
 * INVALID_ARGUMENT and overload as RESOURCE_EXHAUSTED, never as INTERNAL.
 */
public final class ScoringException extends Exception {

  private final Status.Code code;

  public ScoringException(Status.Code code, String message) {
    super(message);
    this.code = code;
  }

  public ScoringException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public static ScoringException invalidArgument(String message) {
    return new ScoringException(Status.Code.INVALID_ARGUMENT, message);
  }

  public static ScoringException resourceExhausted(String message) {
    return new ScoringException(Status.Code.RESOURCE_EXHAUSTED, message);
  }

  public static ScoringException deadlineExceeded(String message) {
    return new ScoringException(Status.Code.DEADLINE_EXCEEDED, message);
  }

  public Status.Code code() {
    return code;
  }

  /** The gRPC status (code + message) for this failure. */
  public Status toStatus() {
    return Status.fromCode(code).withDescription(getMessage());
  }
}
