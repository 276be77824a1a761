package dev.sieve.router.policy;

/**
 * A policy file that cannot be used, with a message precise enough to fix it: the file, the path of
 * the offending field (e.g. {@code tenants.school-7.categories.gambling.threshold}) and what is
 * wrong.
 *
 * <p>Checked because every caller must decide what a bad policy means for it: at startup the router
 * refuses to start, on hot reload it keeps the last good policy.
 */
public final class PolicyException extends Exception {

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
