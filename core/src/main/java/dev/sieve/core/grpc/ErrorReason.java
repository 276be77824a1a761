package dev.sieve.core.grpc;

/**
 * Stable, machine-readable reasons for the errors of the public {@code sieve.v1} API, sent as the
 * {@code reason} of a {@code google.rpc.ErrorInfo} in domain {@value ErrorDetails#DOMAIN} (see
 * {@link ErrorDetails}).
 *
 * <p>Why an enum and not strings in each caller: clients (the CLI, the ICAP adapter, the HTTP
 * gateway, other languages) branch on these codes instead of parsing status descriptions, so the
 * names are a wire contract: never renamed, only added (docs/integrations.md lists them).
 */
public enum ErrorReason {
  /** A request with no url, html or text. */
  EMPTY_REQUEST,
  /** A tier name in {@code tiers} that the router does not know. */
  UNKNOWN_TIER,
  /** html + text over the router's body limit, or an HTTP body over the gateway's limit. */
  BODY_TOO_LARGE,
  /** A URL over 8 KiB. */
  URL_TOO_LONG,
  /** A URL with control characters. */
  URL_CONTROL_CHARACTERS,
  /** A URL whose scheme is not http or https (or none). */
  UNSUPPORTED_SCHEME,
  /** A URL without a host. */
  EMPTY_HOST,
  /** A URL whose host is not a valid name or address. */
  MALFORMED_HOST,
  /** A URL whose port is not a number in range. */
  MALFORMED_PORT,
  /** A URL that cannot be parsed at all. */
  MALFORMED_URL,
  /** html or text that is not valid UTF-8. */
  INVALID_UTF8,
  /** The router has too many classifications in flight: retry later (with backoff). */
  OVERLOADED,
  /** The caller's deadline expired, or left no time for a tier a decision depended on. */
  DEADLINE_TOO_SHORT,
  /** The router is shutting down: retry on another replica. */
  SHUTTING_DOWN,
  /** The request names a tenant other than the one its credentials authenticate. */
  TENANT_MISMATCH,
  /** No credential, a malformed one, or an unknown one. */
  UNAUTHENTICATED,
  /** HTTP gateway: the body is not valid JSON for the message, or names an unknown field. */
  MALFORMED_JSON,
  /** HTTP gateway: a batch with more items than allowed. */
  BATCH_TOO_LARGE,
  /** HTTP gateway: a deadline header that is not a positive duration. */
  INVALID_DEADLINE,
  /** HTTP gateway: a path that is not part of the API. */
  NOT_FOUND,
  /** HTTP gateway: a method the path does not accept. */
  METHOD_NOT_ALLOWED,
  /** HTTP gateway: a body that is not {@code application/json}. */
  UNSUPPORTED_MEDIA_TYPE,
  /**
   * A ReportVerdict field breaks its documented rule (kind, request_id, report_id, note,
   * reporter_role, categories, tenant_id); the BadRequest field violation names the field.
   */
  INVALID_FIELD,
  /** The feedback store (the annotation app) refused a report the router had accepted. */
  REPORT_REJECTED,
  /**
   * A report could be neither forwarded to the annotation app nor kept in the router's spool: retry
   * later (report_id makes the retry idempotent).
   */
  FEEDBACK_UNAVAILABLE
}
