package dev.sieve.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds every module's production classes (tests and the planted fixtures excluded) to {@link
 * ModuleRules}.
 */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test-jars (shared fixtures) are test code too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.sieve");
  }

  @Test
  void servingNeverImportsOffline() {
    ModuleRules.servingNeverImportsOffline().check(production);
  }

  @Test
  void routerKnowsTiersOnlyThroughTheProto() {
    ModuleRules.routerKnowsTiersOnlyThroughTheProto().check(production);
  }

  @Test
  void tiersNeverImportEachOther() {
    for (ArchRule rule : ModuleRules.tiersNeverImportEachOther()) {
      rule.check(production);
    }
  }

  @Test
  void coreSeesOnlyTheProto() {
    ModuleRules.coreSeesOnlyTheProto().check(production);
  }

  @Test
  void noCyclesBetweenModules() {
    ModuleRules.noCyclesBetweenModules().check(production);
  }
}
