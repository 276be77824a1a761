package dev.sieve.eval.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card carries the live fleet check written next to the model, grouped by outcome. */
class FleetComparisonCaveatTest {

  @Test
  void summarisesTheChecksByStatusAndIsAbsentWithoutTheFile(@TempDir Path dir) throws Exception {
    assertThat(EvaluationPipeline.fleetComparison(dir)).isEmpty();
    Files.writeString(
        dir.resolve("fleet-comparison.json"),
        """
        {"dataset_version":"ds-1","split":"test","inputs":"texts","checks":{
          "adult":{"status":"not worse"},"weapons":{"status":"insufficient data"},
          "violence":{"status":"worse"},"hate":{"status":"not worse"}}}
        """);
    assertThat(EvaluationPipeline.fleetComparison(dir))
        .contains(
            "Fleet vs single tiers (fleet-comparison.md; test split of ds-1, texts inputs, live router with every tier):"
                + " too few positives to compare: weapons; not worse than the best single tier: adult, hate;"
                + " worse than the best single tier: violence.");
  }
}
