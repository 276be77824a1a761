package dev.sieve.icap;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the adapter does when Sieve cannot give a verdict in time (router unreachable, deadline
 * exceeded, overloaded, or the adapter's own concurrency bound full): allow the request (fail-open)
 * or answer the block page (fail-closed), per tenant.
 *
 * <p>The router's rule for a lost tier is per category ({@code on_tier_loss} in docs/policy.md
 * section 7: the default policy blocks nothing on tier loss, so that an overloaded or lost tier
 * never becomes a block storm). When the router itself cannot answer, the adapter has no categories
 * to apply it to, so the same outcome is configured here as one choice per tenant: {@code
 * SIEVE_ICAP_ON_UNAVAILABLE} ({@code allow}, the default, matching what the default policy decides
 * with every tier lost; the proxy still logs and counts it) and {@code
 * SIEVE_ICAP_ON_UNAVAILABLE_TENANTS} ({@code district-a=allow,district-b=block}). Either way the
 * proxy gets an answer within the deadline: it is never left waiting.
 */
public final class UnavailablePolicy {

  /** The outcome when Sieve cannot answer. */
  public enum Mode {
    ALLOW,
    BLOCK;

    static Mode parse(String value, String setting) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "allow", "open", "fail-open" -> ALLOW;
        case "block", "closed", "fail-closed" -> BLOCK;
        default ->
            throw new IllegalArgumentException(
                setting + ": expected allow or block, got '" + value + "'");
      };
    }
  }

  private final Mode fallback;
  private final Map<String, Mode> perTenant;

  private UnavailablePolicy(Mode fallback, Map<String, Mode> perTenant) {
    this.fallback = fallback;
    this.perTenant = perTenant;
  }

  public static UnavailablePolicy of(String fallback, String perTenant) {
    Map<String, Mode> tenants = new HashMap<>();
    for (String entry : perTenant.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] kv = entry.strip().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException(
            "SIEVE_ICAP_ON_UNAVAILABLE_TENANTS entry is not tenant=allow|block: " + entry);
      }
      tenants.put(kv[0].strip(), Mode.parse(kv[1], "SIEVE_ICAP_ON_UNAVAILABLE_TENANTS"));
    }
    return new UnavailablePolicy(
        Mode.parse(fallback, "SIEVE_ICAP_ON_UNAVAILABLE"), Map.copyOf(tenants));
  }

  public Mode forTenant(String tenant) {
    return perTenant.getOrDefault(tenant, fallback);
  }
}
