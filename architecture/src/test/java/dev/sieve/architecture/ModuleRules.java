package dev.sieve.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The README's module rules written once as ArchUnit rules, so that {@link ArchitectureTest} holds
 * the real code to them and {@link PlantedViolationTest} proves each rule fires on a planted
 * violation. The Maven Enforcer rules in the poms hold the same boundaries on declared
 * dependencies; these hold them on imports, which a module could otherwise reach through a
 * transitive dependency.
 */
final class ModuleRules {

  /** Offline packages: training, evaluation providers, baselines, benchmarks, the data pipeline. */
  static final String[] OFFLINE = {
    "dev.sieve.eval..",
    "dev.sieve.lab..",
    "dev.sieve.cli..",
    "dev.sieve.url.train..",
    "dev.sieve.url.eval..",
    "dev.sieve.content.train..",
    "dev.sieve.content.eval..",
    "dev.sieve.content.bench..",
    "dev.sieve.llm.eval..",
    "dev.sieve.llm.bench..",
  };

  private ModuleRules() {}

  /** A serving class (tier, router, ICAP adapter) never imports offline code. */
  static ArchRule servingNeverImportsOffline() {
    return noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sieve.url..",
            "dev.sieve.content..",
            "dev.sieve.llm..",
            "dev.sieve.router..",
            "dev.sieve.icap..")
        .and()
        .resideOutsideOfPackages(OFFLINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(OFFLINE)
        .because("serving jars contain only what serves (README, module table)");
  }

  /** The router knows tiers only through the proto. */
  static ArchRule routerKnowsTiersOnlyThroughTheProto() {
    return noClasses()
        .that()
        .resideInAPackage("dev.sieve.router..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sieve.url..", "dev.sieve.content..", "dev.sieve.llm..", "dev.sieve.icap..")
        .because("adding or replacing a tier must never require touching the router");
  }

  /** Each tier stands alone: no tier imports another (offline side included). */
  static ArchRule[] tiersNeverImportEachOther() {
    String[] tiers = {"url", "content", "llm"};
    ArchRule[] rules = new ArchRule[tiers.length];
    for (int i = 0; i < tiers.length; i++) {
      String own = tiers[i];
      String[] others =
          Arrays.stream(tiers)
              .filter(t -> !t.equals(own))
              .map(t -> "dev.sieve." + t + "..")
              .toArray(String[]::new);
      rules[i] =
          noClasses()
              .that()
              .resideInAPackage("dev.sieve." + own + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(others)
              .because("a tier is deployed, trained and released on its own")
              .allowEmptyShould(true);
    }
    return rules;
  }

  /** Core is the foundation: it sees only the proto. */
  static ArchRule coreSeesOnlyTheProto() {
    return noClasses()
        .that()
        .resideInAPackage("dev.sieve.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sieve.url..",
            "dev.sieve.content..",
            "dev.sieve.llm..",
            "dev.sieve.router..",
            "dev.sieve.icap..",
            "dev.sieve.eval..",
            "dev.sieve.lab..",
            "dev.sieve.cli..")
        .because("proto <- core <- everything else");
  }

  /** Modules (top-level packages) form no cycle. */
  static ArchRule noCyclesBetweenModules() {
    return slices().matching("dev.sieve.(*)..").should().beFreeOfCycles();
  }
}
