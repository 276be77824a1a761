package dev.sieve.router.catalog;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.CategoryAction;
import dev.sieve.proto.v1.CategoryInfo;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ListCategoriesRequest;
import dev.sieve.proto.v1.ListCategoriesResponse;
import dev.sieve.router.auth.AuthenticatedTenant;
import dev.sieve.router.policy.CategoryRule;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.policy.Policy;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.policy.TenantPolicy;
import dev.sieve.router.tier.FleetCoverage;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import io.grpc.Context;
import io.grpc.StatusException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Answers {@code ListCategories}: what each category means (the taxonomy) and what a positive
 * decision in it does for the caller (the tenant's resolved policy), so a client can build its own
 * block pages, dashboards and settings screens from the router instead of copying docs/taxonomy.md.
 *
 * <p>Emerging categories are the ones the policy names and the ones a deployed tier says it scores
 * (its last Describe answer): the router knows them by id only, so their name and definition are
 * empty. Kept apart from the classification path: it reads the same policy snapshot and tier
 * coverage, and costs nothing per Classify call.
 */
public final class CategoryCatalog {

  private final PolicyStore policies;
  private final TierFleet fleet;

  public CategoryCatalog(PolicyStore policies, TierFleet fleet) {
    this.policies = policies;
    this.fleet = fleet;
  }

  /**
   * The categories under the tenant's policy.
   *
   * @param context the call's context (authenticated tenant), or null
   * @throws StatusException PERMISSION_DENIED when the request names a tenant other than the
   *     authenticated one (the Classify rule)
   */
  public ListCategoriesResponse list(ListCategoriesRequest request, Context context)
      throws StatusException {
    String tenantId =
        AuthenticatedTenant.bind(
                ClassifyRequest.newBuilder().setTenantId(request.getTenantId()).build(), context)
            .getTenantId();
    Policy policy = policies.current();
    TenantPolicy tenant = policy.lookup(tenantId);
    boolean defaultApplied = tenant == null;
    if (defaultApplied) {
      tenant = policy.global();
    }
    ListCategoriesResponse.Builder response =
        ListCategoriesResponse.newBuilder()
            .setTaxonomyVersion(Taxonomy.VERSION)
            .setPolicyId(policy.id())
            .setPolicyVersion(policy.version())
            .setEffectiveTenant(tenant.tenantId())
            .setDefaultPolicyApplied(defaultApplied);
    for (int i = 0; i < CoreCategories.count(); i++) {
      Category category = CoreCategories.category(i);
      response.addCategories(
          info(category.id(), tenant.core(i), false)
              .setDisplayName(category.displayName())
              .setDefinition(category.definition())
              .setDefaultAction(toWire(category.defaultAction())));
    }
    Set<String> emerging = new LinkedHashSet<>(tenant.emergingRules().keySet());
    FleetCoverage coverage = fleet.coverage();
    for (TierName name : TierName.all()) {
      emerging.addAll(coverage.emerging(name));
    }
    for (String id : emerging) {
      if (CoreCategories.indexOf(id) < 0) {
        response.addCategories(info(id, tenant.emerging(id), true));
      }
    }
    return response.build();
  }

  private static CategoryInfo.Builder info(String id, CategoryRule rule, boolean emerging) {
    return CategoryInfo.newBuilder()
        .setId(id)
        .setAction(rule.action())
        .setThreshold(rule.threshold())
        .setAlert(rule.alert())
        .setEmerging(emerging)
        .setFailClosed(rule.failClosed());
  }

  static CategoryAction toWire(DefaultAction action) {
    return switch (action) {
      case ALLOW -> CategoryAction.CATEGORY_ACTION_ALLOW;
      case BLOCK -> CategoryAction.CATEGORY_ACTION_BLOCK;
      case ALERT -> CategoryAction.CATEGORY_ACTION_ALERT;
    };
  }
}
