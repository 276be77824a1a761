package dev.sieve.router.tier;

import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.TierDescription;
import dev.sieve.router.policy.CoreCategories;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a tier says it serves ({@code Scorer.Describe}): its model lineage, which core categories it
 * scores and which emerging (non-taxonomy) categories it scores.
 *
 * <p>The router needs coverage for two decisions: which fail-closed categories a tier outage
 * affects (only those the tier would have covered) and which emerging categories exist. Until a
 * tier has answered Describe, the url and content tiers are assumed to cover every core category
 * (so an outage at startup fails closed rather than open) and the llm tier to cover none beyond
 * what it is asked.
 *
 * @param described true once the tier answered Describe
 * @param model the tier's model lineage (default instance until described)
 * @param core coverage of core categories, indexed by taxonomy position
 * @param emerging emerging category ids the tier scores, in the tier's order
 */
public record TierCoverage(
    boolean described, ModelInfo model, boolean[] core, List<String> emerging) {

  /** The assumption used before Describe answered. */
  static TierCoverage assumed(TierName tier) {
    boolean[] core = new boolean[CoreCategories.count()];
    if (tier.isPrimary()) {
      Arrays.fill(core, true);
    }
    return new TierCoverage(false, ModelInfo.getDefaultInstance(), core, List.of());
  }

  /** Coverage from a Describe answer: ids in the taxonomy are core, the others emerging. */
  static TierCoverage fromDescription(TierDescription description) {
    boolean[] core = new boolean[CoreCategories.count()];
    ArrayList<String> emerging = new ArrayList<>();
    for (String id : description.getCategoriesList()) {
      int index = CoreCategories.indexOf(id);
      if (index >= 0) {
        core[index] = true;
      } else if (!id.isEmpty() && !emerging.contains(id)) {
        emerging.add(id);
      }
    }
    return new TierCoverage(true, description.getModel(), core, List.copyOf(emerging));
  }

  /** Value comparison (records compare arrays by reference). */
  public boolean sameAs(TierCoverage other) {
    return other != null
        && described == other.described
        && model.equals(other.model)
        && Arrays.equals(core, other.core)
        && emerging.equals(other.emerging);
  }

  /** True when the tier scores the core category at {@code index}. */
  public boolean coversCore(int index) {
    return core[index];
  }
}
