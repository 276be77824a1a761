package dev.sieve.eval.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.policy.EvaluationPolicy;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.LeaveOneSourceOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leave-one-source-out by thresholds (the zero-shot tier): per source, thresholds re-chosen on dev
 * without it and measured on all of its dev and test records, next to the full thresholds on its
 * test records.
 */
class ThresholdHoldoutTest {

  private static final EvaluationPolicy MAX_F1 = EvaluationPolicy.parse("version: 1\n");
  private static final EvalOptions OPTIONS =
      EvalOptions.defaults().withMinPositives(10).withBootstrap(0, 1);

  /**
   * Per split: 20 C-SSRS positives at 0.9, 20 Reddit positives at 0.6, 100 textbook passages (5 at
   * 0.7).
   */
  private record Split(List<Example> examples, Scores scores) {}

  private static Split split(String split, int tinyPositives) {
    List<Example> ex = new ArrayList<>();
    List<Double> selfHarm = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ex.add(positive(split + "-cssrs" + i, split, "cssrs"));
      selfHarm.add(0.9);
      ex.add(positive(split + "-reddit" + i, split, "reddit"));
      selfHarm.add(0.6);
    }
    for (int i = 0; i < 100; i++) {
      ex.add(
          new Example(
              split + "-book" + i,
              "passage",
              split,
              Set.of(),
              Set.of("*"),
              Map.of("source", List.of("ordinary/openstax")),
              Map.of(),
              List.of(),
              true));
      selfHarm.add(i < 5 ? 0.7 : 0.1);
    }
    for (int i = 0; i < tinyPositives; i++) {
      ex.add(positive(split + "-tiny" + i, split, "tiny"));
      selfHarm.add(0.9);
    }
    double[] s = selfHarm.stream().mapToDouble(Double::doubleValue).toArray();
    double[] adult = new double[s.length];
    Arrays.fill(adult, 0.1);
    return new Split(ex, Scores.of(Map.of("self_harm", s, "adult", adult), s.length));
  }

  private static Example positive(String id, String split, String source) {
    return new Example(
        id,
        id,
        split,
        Set.of("self_harm"),
        Set.of("self_harm"),
        Map.of("source", List.of(source)),
        Map.of(),
        List.of(),
        false);
  }

  private static LeaveOneSourceOut run() {
    Split dev = split("dev", 0);
    Split test = split("test", 5);
    // The full model's thresholds on all of dev: max F1 includes the Reddit positives (0.6).
    return ThresholdHoldout.run(
        dev.examples(),
        dev.scores(),
        test.examples(),
        test.scores(),
        Map.of("self_harm", 0.6, "adult", 0.5),
        MAX_F1,
        OPTIONS,
        "ds-holdout");
  }

  private static LeaveOneSourceOut.FoldCategory row(
      LeaveOneSourceOut loso, String source, String category) {
    return loso.folds().stream()
        .filter(f -> f.source().equals(source))
        .findFirst()
        .orElseThrow()
        .categories()
        .stream()
        .filter(c -> c.category().equals(category))
        .findFirst()
        .orElse(null);
  }

  @Test
  void onlySourcesWithEnoughPositivesOrOrdinaryRecordsAreFolds() {
    LeaveOneSourceOut loso = run();
    assertThat(loso.datasetVersion()).isEqualTo("ds-holdout");
    // "tiny" has 5 positives and no ordinary record: too small to hold out.
    assertThat(loso.folds())
        .extracting(LeaveOneSourceOut.Fold::source)
        .containsExactly("cssrs", "ordinary/openstax", "reddit");
    assertThat(loso.folds())
        .extracting(LeaveOneSourceOut.Fold::items)
        .containsExactly(40L, 200L, 40L);
    assertThat(loso.method())
        .contains(">= " + ThresholdHoldout.MIN_POSITIVES + " positives")
        .contains(">= " + ThresholdHoldout.MIN_ORDINARY + " ordinary");
  }

  @Test
  void aSourceNeverSeenInThresholdSelectionShowsItsDrop() {
    LeaveOneSourceOut loso = run();
    // Without Reddit on dev, max F1 picks 0.9 (C-SSRS only): none of Reddit's 40 positives is
    // caught,
    // where the full thresholds (0.6) catch all 20 of its test positives.
    LeaveOneSourceOut.FoldCategory reddit = row(loso, "reddit", "self_harm");
    assertThat(reddit.threshold()).isEqualTo(0.9);
    assertThat(reddit.positives()).isEqualTo(40);
    assertThat(reddit.recallHeldOut()).isEqualTo(Estimate.of(0.0, Wilson.interval(0, 40)));
    assertThat(reddit.recallInDistribution()).isEqualTo(1.0);
    assertThat(reddit.recallDrop()).isEqualTo(1.0);
    assertThat(reddit.ordinary()).isZero();
    assertThat(reddit.flagRateHeldOut()).isNull();
    // Without C-SSRS, the Reddit positives still set the threshold at 0.6: nothing is lost.
    LeaveOneSourceOut.FoldCategory cssrs = row(loso, "cssrs", "self_harm");
    assertThat(cssrs.threshold()).isEqualTo(0.6);
    assertThat(cssrs.recallHeldOut().value()).isEqualTo(1.0);
    assertThat(cssrs.recallDrop()).isEqualTo(0.0);
  }

  @Test
  void anOrdinarySourceReportsItsFlagRateHeldOutAndInDistribution() {
    LeaveOneSourceOut loso = run();
    LeaveOneSourceOut.FoldCategory books = row(loso, "ordinary/openstax", "self_harm");
    assertThat(books.positives()).isZero();
    assertThat(books.recallHeldOut()).isNull();
    assertThat(books.recallDrop()).isNull();
    // dev + test: 10 of 200 passages score 0.7, above the fold threshold 0.6.
    assertThat(books.ordinary()).isEqualTo(200);
    assertThat(books.flagRateHeldOut())
        .isEqualTo(Estimate.of(10 / 200.0, Wilson.interval(10, 200)));
    assertThat(books.flagRateInDistribution()).isEqualTo(0.05); // 5 of the 100 test passages
    // A category with no positive and no ordinary record of a source has no row for it.
    assertThat(row(loso, "ordinary/openstax", "adult")).isNotNull();
    assertThat(row(loso, "cssrs", "adult")).isNull();
  }

  @Test
  void theReportRoundTripsThroughLosoJson(@TempDir Path dir) {
    LeaveOneSourceOut loso = run();
    loso.write(dir.resolve(LeaveOneSourceOut.FILE));
    assertThat(LeaveOneSourceOut.read(dir)).contains(loso);
  }
}
