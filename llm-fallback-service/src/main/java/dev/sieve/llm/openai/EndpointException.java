package dev.sieve.llm.openai;

import java.time.Duration;
import java.util.Optional;

/**
 * The chat endpoint did not produce a usable reply, classified by what the caller should do about
 * it: retry once (rate limit, server error, unreachable, broken envelope), or give up at once
 * (timeout: the time is spent; other 4xx: a configuration error a retry cannot fix).
 */
public final class EndpointException extends Exception {

  /** Failure classes, each with its documented handling in {@link OpenAiBackend}. */
  public enum Kind {
    TIMEOUT(false),
    RATE_LIMITED(true),
    SERVER_ERROR(true),
    UNREACHABLE(true),
    BAD_RESPONSE(true),
    CLIENT_ERROR(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final int httpStatus;
  private final Duration retryAfter;

  public EndpointException(Kind kind, int httpStatus, Duration retryAfter, String message) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** HTTP status, 0 when there was no HTTP response. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The endpoint's Retry-After, when it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
