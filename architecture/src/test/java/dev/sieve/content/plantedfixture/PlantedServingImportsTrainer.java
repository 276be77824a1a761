package dev.sieve.content.plantedfixture;

import dev.sieve.content.train.ContentTrainer;

/**
 * A planted violation (serving code reaching into training) that {@code PlantedViolationTest} feeds
 * to the rules; test code only.
 */
public final class PlantedServingImportsTrainer {
  /** The forbidden reference. */
  public static Class<?> forbidden() {
    return ContentTrainer.class;
  }

  private PlantedServingImportsTrainer() {}
}
