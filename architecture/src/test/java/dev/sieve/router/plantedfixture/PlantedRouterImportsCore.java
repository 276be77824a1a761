package dev.sieve.router.plantedfixture;

import dev.sieve.core.plantedfixture.PlantedCoreImportsRouter;

/**
 * A planted violation (the other half of a planted core/router cycle) that {@code
 * PlantedViolationTest} feeds to the rules; test code only.
 */
public final class PlantedRouterImportsCore {
  /** The forbidden reference. */
  public static Class<?> forbidden() {
    return PlantedCoreImportsRouter.class;
  }

  private PlantedRouterImportsCore() {}
}
