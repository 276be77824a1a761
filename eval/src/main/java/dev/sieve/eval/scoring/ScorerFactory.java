package dev.sieve.eval.scoring;

import dev.sieve.core.scoring.TierScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds a tier's {@link ScorerProvider} on the class path by tier name. */
public final class ScorerFactory {

  private ScorerFactory() {}

  public static Optional<ScorerProvider> provider(String tier) {
    for (ScorerProvider p : ServiceLoader.load(ScorerProvider.class)) {
      if (p.tier().equals(tier)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Tier names with a provider on the class path, sorted. */
  public static List<String> available() {
    List<String> out = new ArrayList<>();
    ServiceLoader.load(ScorerProvider.class).forEach(p -> out.add(p.tier()));
    out.sort(null);
    return out;
  }

  /**
   * Creates the in-process scorer of {@code tier}.
   *
   * @throws IllegalArgumentException naming the available tiers when none matches
   * @throws IllegalStateException when the provider fails to load its model
   */
  public static TierScorer create(String tier, ScorerContext context) {
    ScorerProvider p =
        provider(tier)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no in-process scorer for tier '"
                            + tier
                            + "' on the class path (available: "
                            + available()
                            + "); use --target host:port for a running tier or --router host:port"));
    try {
      return p.create(context);
    } catch (Exception e) {
      throw new IllegalStateException(
          "tier '" + tier + "' could not load its model: " + e.getMessage(), e);
    }
  }
}
