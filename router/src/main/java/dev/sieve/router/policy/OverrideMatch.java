package dev.sieve.router.policy;

/**
 * An allow or deny override that matched a request's host.
 *
 * @param allow true for an allow override, false for deny
 * @param domain the policy entry that matched (the host itself or one of its parent domains)
 * @param layer the policy layer that holds the entry ("global" or a tenant id)
 */
public record OverrideMatch(boolean allow, String domain, String layer) {

  /**
   * Human-readable rule text for the response's reasons, e.g. "deny override: casino.example
   * (global)".
   */
  public String describe() {
    return (allow ? "allow" : "deny") + " override: " + domain + " (" + layer + ")";
  }
}
