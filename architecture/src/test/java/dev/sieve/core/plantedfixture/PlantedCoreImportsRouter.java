package dev.sieve.core.plantedfixture;

import dev.sieve.router.plantedfixture.PlantedRouterImportsCore;

/**
 * A planted violation (core reaching above itself (and, with PlantedRouterImportsCore, a module
 * cycle)) that {@code PlantedViolationTest} feeds to the rules; test code only.
 */
public final class PlantedCoreImportsRouter {
  /** The forbidden reference. */
  public static Class<?> forbidden() {
    return PlantedRouterImportsCore.class;
  }

  private PlantedCoreImportsRouter() {}
}
