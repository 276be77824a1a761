package dev.sieve.url.plantedfixture;

import dev.sieve.content.extract.PageExtractor;

/**
 * A planted violation (one tier reaching into another) that {@code PlantedViolationTest} feeds to
 * the rules; test code only.
 */
public final class PlantedTierImportsTier {
  /** The forbidden reference. */
  public static Class<?> forbidden() {
    return PageExtractor.class;
  }

  private PlantedTierImportsTier() {}
}
