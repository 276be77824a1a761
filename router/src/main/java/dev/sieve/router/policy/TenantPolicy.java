package dev.sieve.router.policy;

import java.util.Map;

/**
 * The policy of one tenant, resolved once at load time through its chain (tenant, its parent, ...,
 * global; nearest layer wins field by field), so that a request does one map lookup and then only
 * array reads.
 *
 * @param tenantId effective tenant id ("" for the global default)
 * @param coreRules rules for the core categories, indexed by taxonomy position ({@link
 *     CoreCategories})
 * @param emergingRules rules for emerging categories named in the policy
 * @param emergingDefault rule for emerging categories the policy does not name
 * @param consultLlmForEmerging ask the llm tier for its emerging categories on every cache miss
 * @param overrides allow/deny domain overrides, nearest layer first
 * @param ttls verdict cache lifetimes
 * @param blockOnAlert whether a positive ALERT category also blocks
 * @param llmFillsGaps whether the llm tier is asked, on a page, for core categories no other tier
 *     has an opinion on ({@code defaults.llm_fills_gaps}); false lets it decide no core category
 *     alone (the embedded default policy, where the llm tier is advisory)
 */
public record TenantPolicy(
    String tenantId,
    CategoryRule[] coreRules,
    Map<String, CategoryRule> emergingRules,
    CategoryRule emergingDefault,
    boolean consultLlmForEmerging,
    DomainOverrides overrides,
    VerdictTtls ttls,
    boolean blockOnAlert,
    boolean llmFillsGaps) {

  /** Rule for the core category at taxonomy position {@code index}. */
  public CategoryRule core(int index) {
    return coreRules[index];
  }

  /** Rule for an emerging category (the policy's own, or the emerging default). */
  public CategoryRule emerging(String id) {
    CategoryRule rule = emergingRules.get(id);
    return rule == null ? emergingDefault : rule;
  }
}
