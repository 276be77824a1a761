package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.eval.Example;
import dev.sieve.eval.scoring.Predictions;
import dev.sieve.eval.scoring.TierBaseline;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content card's n-gram baseline learns from train and separates held-out texts. */
class NgramBaselineSourceTest {

  @Test
  void trainsOnTrainAndRanksHeldOutGamblingTextsFirst(@TempDir Path tmp) throws Exception {
    DatasetVersion dataset = ContentTrainerTest.writeDataset(tmp.resolve("ds"));
    TierBaseline baseline = NgramBaselineSource.baseline(dataset);
    assertThat(baseline.name()).isEqualTo("hashed_ngram_logistic");
    assertThat(baseline.description()).contains("ds-fixture train split");
    List<Example> heldOut =
        List.of(
            example(
                "a",
                "Play roulette at the online casino and win the jackpot tonight.",
                Set.of("gambling")),
            example("b", "Families learn about the water cycle in the spring.", Set.of()));
    try (var source = baseline.source()) {
      Predictions p = source.score(heldOut, List.of("gambling"));
      assertThat(p.rejected()).isEmpty();
      double[] scores = p.scores().get("gambling");
      assertThat(scores[0]).isGreaterThan(0.5).isGreaterThan(scores[1]);
      assertThat(scores[1]).isLessThan(0.5);
    }
  }

  private static Example example(String id, String text, Set<String> labels) {
    return new Example(
        "text:" + id, text, "test", labels, Set.of("gambling"), null, null, null, false);
  }
}
