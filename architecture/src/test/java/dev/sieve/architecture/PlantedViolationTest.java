package dev.sieve.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.sieve.content.plantedfixture.PlantedServingImportsTrainer;
import dev.sieve.core.plantedfixture.PlantedCoreImportsRouter;
import dev.sieve.router.plantedfixture.PlantedRouterImportsCore;
import dev.sieve.router.plantedfixture.PlantedRouterImportsTier;
import dev.sieve.url.plantedfixture.PlantedTierImportsTier;
import java.util.Arrays;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Proves that each rule of {@link ModuleRules} fails the build on a forbidden import: a rule that
 * never fires would let {@link ArchitectureTest} pass on anything.
 */
class PlantedViolationTest {

  private static JavaClasses planted(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  @Test
  void servingImportingTrainingCodeFails() {
    assertThatThrownBy(
            () ->
                ModuleRules.servingNeverImportsOffline()
                    .check(planted(PlantedServingImportsTrainer.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.sieve.content.train.ContentTrainer");
  }

  @Test
  void routerImportingATierFails() {
    assertThatThrownBy(
            () ->
                ModuleRules.routerKnowsTiersOnlyThroughTheProto()
                    .check(planted(PlantedRouterImportsTier.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.sieve.content.extract.PageExtractor");
  }

  @Test
  void tierImportingAnotherTierFails() {
    JavaClasses classes = planted(PlantedTierImportsTier.class);
    long failing =
        Arrays.stream(ModuleRules.tiersNeverImportEachOther())
            .filter(rule -> fails(rule, classes))
            .count();
    Assertions.assertThat(failing).isEqualTo(1);
  }

  @Test
  void coreImportingTheRouterFails() {
    assertThatThrownBy(
            () -> ModuleRules.coreSeesOnlyTheProto().check(planted(PlantedCoreImportsRouter.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aCycleBetweenModulesFails() {
    assertThatThrownBy(
            () ->
                ModuleRules.noCyclesBetweenModules()
                    .check(planted(PlantedCoreImportsRouter.class, PlantedRouterImportsCore.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle");
  }

  private static boolean fails(ArchRule rule, JavaClasses classes) {
    try {
      rule.check(classes);
      return false;
    } catch (AssertionError expected) {
      return true;
    }
  }
}
