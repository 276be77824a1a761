package dev.sieve.content.train.active;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.content.train.TextExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulation on a small synthetic corpus whose labels are learnable from its words. */
class ActiveLearningSimulationTest {

  private static final String[] GAMBLING = {
    "casino", "poker", "bets", "jackpot", "roulette", "slots"
  };
  private static final String[] HATE = {
    "vermin", "subhuman", "filth", "invaders", "parasites", "scum"
  };
  private static final String[] ORDINARY = {
    "weather",
    "garden",
    "recipe",
    "museum",
    "lesson",
    "library",
    "train",
    "football",
    "history",
    "science",
    "river",
    "mountain",
    "music",
    "school",
    "holiday",
    "bread"
  };

  private static List<TextExample> corpus(int n, String split, long seed) {
    Random random = new Random(seed);
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        text.append(ORDINARY[random.nextInt(ORDINARY.length)]).append(' ');
      }
      Set<String> labels = Set.of();
      double r = random.nextDouble();
      if (r < 0.08) {
        text.append(GAMBLING[random.nextInt(GAMBLING.length)])
            .append(' ')
            .append(GAMBLING[random.nextInt(GAMBLING.length)]);
        labels = Set.of("gambling");
      } else if (r < 0.14) {
        text.append(HATE[random.nextInt(HATE.length)])
            .append(' ')
            .append(HATE[random.nextInt(HATE.length)]);
        labels = Set.of("hate");
      }
      out.add(
          new TextExample(
              split + i,
              text.toString(),
              "post",
              "synthetic",
              split,
              labels,
              Set.of("*"),
              List.of(),
              ""));
    }
    return out;
  }

  private static ActiveLearningSimulation.Params params(int seeds) {
    ActiveLearningSimulation.Params d = ActiveLearningSimulation.Params.defaults();
    return new ActiveLearningSimulation.Params(
        List.of("random", "uncertainty", "mixed"),
        20,
        20,
        100,
        seeds,
        12,
        4,
        d.learningRate(),
        d.l2(),
        d.maxPositiveWeight(),
        2,
        7L);
  }

  @Test
  void curvesArePairedBySeedAndLearnTheTask() throws Exception {
    ActiveLearningSimulation.Result result =
        new ActiveLearningSimulation(
                corpus(1500, "train", 1),
                corpus(500, "dev", 2),
                List.of("gambling", "hate"),
                params(3))
            .run();
    LearningCurves curves = new LearningCurves(result);
    assertThat(curves.budgets()).containsExactly(20, 40, 60, 80, 100);
    assertThat(curves.strategies()).containsExactly("random", "uncertainty", "mixed");
    assertThat(result.points()).hasSize(3 * 3 * 5);
    // Same seed set for every strategy of a seed: the first points are identical.
    for (int seed = 0; seed < 3; seed++) {
      int s = seed;
      List<Double> first =
          result.points().stream()
              .filter(p -> p.seed() == s && p.labels() == 20)
              .map(ActiveLearningSimulation.Point::macroAp)
              .toList();
      assertThat(first).hasSize(3).allMatch(v -> v.equals(first.get(0)));
      assertThat(curves.apGainOverRandom("uncertainty", 20).mean()).isZero();
    }
    assertThat(result.fullPoolMacroAp()).isGreaterThan(0.9);
    assertThat(curves.ap("random", 100).mean()).isGreaterThan(curves.ap("random", 20).mean());
    for (ActiveLearningSimulation.Point p : result.points()) {
      assertThat(p.macroAp()).isBetween(0.0, 1.0);
    }
    String md = curves.markdown("cmd", "ds-x", "figures/al.svg", "machine");
    assertThat(md).contains("| 100 |", "uncertainty − random", "Verdict at the largest budget");
    assertThat(curves.svg()).startsWith("<svg").contains("uncertainty").endsWith("</svg>\n");
  }

  @Test
  void intervalsUseStudentsT() {
    LearningCurves.Stat s = LearningCurves.stat(List.of(1.0, 2.0, 3.0));
    assertThat(s.mean()).isEqualTo(2.0);
    assertThat(s.halfWidth()).isCloseTo(4.303 * 1.0 / Math.sqrt(3), Offset.offset(1e-9));
  }

  @Test
  void resultsGoBetweenTheMarkersOfTheDoc(@TempDir Path dir) throws Exception {
    Path doc = dir.resolve("annotation.md");
    Files.writeString(doc, "# A\n\n## Other\ntext\n");
    ActiveLearningCommand.writeInto(doc, "first");
    ActiveLearningCommand.writeInto(doc, "second");
    String text = Files.readString(doc);
    assertThat(text).contains("## Other\ntext", "second").doesNotContain("first");
    assertThat(text.indexOf("## Active learning by simulation"))
        .isEqualTo(text.lastIndexOf("## Active learning by simulation"));
  }
}
