package dev.sieve.core.url;

/**
 * A string that cannot be treated as a web URL, with a machine-readable reason.
 *
 * <p>Checked on purpose: every caller (request validation, dataset cleaning, featurization) must
 * decide what a rejected URL means for it — an INVALID_ARGUMENT status, a counted invalid row —
 * instead of letting a parse failure escape as an internal error.
 */
public final class UrlRejectedException extends Exception {

  /** Why the URL was rejected. */
  public enum Reason {
    EMPTY,
    TOO_LONG,
    CONTROL_CHARACTERS,
    UNSUPPORTED_SCHEME,
    EMPTY_HOST,
    MALFORMED_HOST,
    MALFORMED_PORT,
    MALFORMED
  }

  private final Reason reason;

  public UrlRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
