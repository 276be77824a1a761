package dev.sieve.router.policy;

import java.util.Map;

/**
 * A loaded, validated, fully resolved policy: what the router applies to every request until the
 * next successful reload.
 *
 * <p>Immutable, so a reload is one reference swap and a request in flight keeps using the policy it
 * started with.
 *
 * @param id policy id (reported in every response)
 * @param version policy version (reported in every response)
 * @param source where it was loaded from (file path or embedded resource), for logs
 * @param contentSha256 SHA-256 of the file bytes, to recognise an unchanged file on reload
 * @param global the global (default) policy
 * @param tenants every tenant's resolved policy, keyed by tenant id
 */
public record Policy(
    String id,
    String version,
    String source,
    String contentSha256,
    TenantPolicy global,
    Map<String, TenantPolicy> tenants) {

  /** The tenant's resolved policy, or null when the tenant is unknown (empty id = global). */
  public TenantPolicy lookup(String tenantId) {
    if (tenantId.isEmpty()) {
      return global;
    }
    return tenants.get(tenantId);
  }
}
