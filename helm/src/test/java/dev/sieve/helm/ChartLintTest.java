package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** helm lint --strict must pass with the defaults and with the production profile. */
class ChartLintTest {

  @Test
  void lintsCleanWithDefaultValues() {
    Helm.Result result = Helm.run(List.of("lint", "--strict", Helm.chartDir().toString()));

    assertThat(result.exitCode())
        .as("helm lint output:%n%s%s", result.stdout(), result.stderr())
        .isZero();
    assertThat(result.stdout())
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[WARNING]", "[ERROR]");
  }

  @Test
  void lintsCleanWithProductionValues() {
    Helm.Result result =
        Helm.run(
            List.of(
                "lint",
                "--strict",
                Helm.chartDir().toString(),
                "-f",
                Helm.productionValues().toString()));

    assertThat(result.exitCode())
        .as("helm lint output:%n%s%s", result.stdout(), result.stderr())
        .isZero();
    assertThat(result.stdout())
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[WARNING]", "[ERROR]");
  }

  @Test
  void lintRejectsValuesThatBreakTheSchema() {
    Helm.Result result =
        Helm.run(
            List.of(
                "lint",
                "--strict",
                Helm.chartDir().toString(),
                "--set",
                "urlService.replicaCount=-3"));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout() + result.stderr()).contains("replicaCount");
  }
}
