package dev.sieve.router.tier;

import dev.sieve.proto.v1.ModelInfo;
import java.util.List;

/**
 * What every tier of the fleet serves, read once for one request: which tiers are deployed, and for
 * each its model lineage, core coverage and emerging categories ({@link TierCoverage}, from its
 * last Describe).
 *
 * <p>Why one snapshot: a tier's coverage changes when a Describe refresh lands, which can happen
 * while a request is in flight. Reading it at several points of one request (which emerging
 * categories to ask the llm tier, which core categories an outage leaves without a covering answer,
 * which model a tier status reports) could mix two descriptions in one verdict. The request takes
 * this snapshot when it starts and every later step reads it, so one verdict always describes one
 * fleet.
 */
public final class FleetCoverage {

  private final TierCoverage[] tiers;

  private FleetCoverage(TierCoverage[] tiers) {
    this.tiers = tiers;
  }

  /** The coverage of each of {@code clients} (null: not deployed), as it is now. */
  static FleetCoverage of(TierClient[] clients) {
    TierCoverage[] tiers = new TierCoverage[clients.length];
    for (int i = 0; i < clients.length; i++) {
      tiers[i] = clients[i] == null ? null : clients[i].coverage();
    }
    return new FleetCoverage(tiers);
  }

  /** True when {@code tier} is part of this deployment. */
  public boolean deployed(TierName tier) {
    return tiers[tier.ordinal()] != null;
  }

  /** The tier's model lineage; the default instance when the tier is not deployed. */
  public ModelInfo model(TierName tier) {
    TierCoverage coverage = tiers[tier.ordinal()];
    return coverage == null ? ModelInfo.getDefaultInstance() : coverage.model();
  }

  /**
   * Which core categories the tier scores, indexed by taxonomy position; null when not deployed.
   */
  public boolean[] core(TierName tier) {
    TierCoverage coverage = tiers[tier.ordinal()];
    return coverage == null ? null : coverage.core();
  }

  /** The emerging categories the tier scores; empty when not deployed. */
  public List<String> emerging(TierName tier) {
    TierCoverage coverage = tiers[tier.ordinal()];
    return coverage == null ? List.of() : coverage.emerging();
  }
}
