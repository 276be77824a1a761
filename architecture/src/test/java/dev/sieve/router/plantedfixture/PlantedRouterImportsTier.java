package dev.sieve.router.plantedfixture;

import dev.sieve.content.extract.PageExtractor;

/**
 * A planted violation (the router reaching into a tier) that {@code PlantedViolationTest} feeds to
 * the rules; test code only.
 */
public final class PlantedRouterImportsTier {
  /** The forbidden reference. */
  public static Class<?> forbidden() {
    return PageExtractor.class;
  }

  private PlantedRouterImportsTier() {}
}
