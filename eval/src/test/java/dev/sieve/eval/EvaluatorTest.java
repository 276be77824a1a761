package dev.sieve.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.SliceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static Example domain(
      String id, String split, List<String> labels, List<String> scope, String protectedSlice) {
    Map<String, List<String>> slices = new LinkedHashMap<>();
    slices.put("input", List.of("url"));
    if (protectedSlice != null) {
      slices.put("protected", List.of(protectedSlice));
    }
    return new Example(
        id,
        id,
        split,
        Set.copyOf(labels),
        Set.copyOf(scope),
        slices,
        Map.of("ut1/x", labels),
        List.of(),
        false);
  }

  private static Example background(String id) {
    return new Example(
        id,
        id,
        "test",
        Set.of(),
        Set.of("*"),
        Map.of("input", List.of("url")),
        Map.of(),
        List.of(),
        true);
  }

  @Test
  void labelScopeDecidesWhatCountsAsANegative() {
    List<Example> ex =
        List.of(
            domain("g1", "test", List.of("gambling"), List.of("gambling"), null),
            domain("a1", "test", List.of("adult"), List.of("adult"), null), // unknown for gambling
            background("bg1"));
    Scores s = Scores.of(Map.of("gambling", new double[] {0.9, 0.95, 0.1}), 3);
    EvaluationResult r =
        Evaluator.evaluate(
            ex,
            s,
            Map.of("gambling", 0.5),
            EvalOptions.defaults().withMinPositives(1).withBootstrap(0, 1));
    CategoryResult g = r.category("gambling").orElseThrow();
    // a1 scores 0.95 for gambling but its labels say nothing about gambling: not a false positive.
    assertThat(g.fp()).isZero();
    assertThat(g.tn()).isEqualTo(1);
    assertThat(g.negatives()).isEqualTo(1);
    assertThat(g.precision().value()).isEqualTo(1.0);
    assertThat(g.auroc().value()).isEqualTo(1.0);
  }

  @Test
  void tooFewPositivesMeansNoNumbersButBackgroundFlagRateStillCounts() {
    List<Example> ex = new ArrayList<>();
    ex.add(domain("s1", "test", List.of("self_harm"), List.of("self_harm"), null));
    double[] s = new double[11];
    s[0] = 0.9;
    for (int i = 0; i < 10; i++) {
      ex.add(background("bg" + i));
      s[i + 1] = i < 2 ? 0.8 : 0.1;
    }
    EvaluationResult r =
        Evaluator.evaluate(
            ex,
            Scores.of(Map.of("self_harm", s), 11),
            Map.of("self_harm", 0.5),
            EvalOptions.defaults().withBootstrap(50, 1));
    CategoryResult c = r.category("self_harm").orElseThrow();
    assertThat(c.status()).isEqualTo(CategoryResult.INSUFFICIENT);
    assertThat(c.note()).contains("1 positives < 30");
    assertThat(c.recall()).isNull();
    assertThat(c.precision()).isNull();
    assertThat(c.auprc()).isNull();
    assertThat(c.backgroundFlagRate().value()).isEqualTo(0.2);
    assertThat(c.topFalsePositives()).hasSize(2);
    assertThat(r.micro().categories()).isZero();
    assertThat(r.overBlocking().blockRate().value()).isEqualTo(0.2);
  }

  @Test
  void categoriesWithoutAnyScoreAreNotScored() {
    List<Example> ex =
        List.of(background("bg1"), domain("g", "test", List.of("games"), List.of("games"), null));
    Scores s = Scores.of(Map.of("games", new double[] {Double.NaN, Double.NaN}), 2);
    EvaluationResult r =
        Evaluator.evaluate(ex, s, Map.of("games", 0.5), EvalOptions.defaults().withBootstrap(0, 1));
    assertThat(r.category("games").orElseThrow().status()).isEqualTo(CategoryResult.NOT_SCORED);
    assertThat(r.confusion().columns()).containsExactly("none");
  }

  @Test
  void aScoredCategoryWithNothingInScopeIsUnmeasuredNotUnscored() {
    // The llm tier scores gambling, but no evaluated input is a gambling positive or negative
    // (issue #17: its card said "not scored by this model").
    List<Example> ex =
        List.of(
            domain("a", "test", List.of("adult"), List.of("adult"), null),
            domain("b", "test", List.of(), List.of("adult"), null));
    Scores s =
        Scores.of(
            Map.of("gambling", new double[] {0.63, 0.1}, "adult", new double[] {0.9, 0.1}), 2);
    EvaluationResult r =
        Evaluator.evaluate(
            ex,
            s,
            Map.of("gambling", 0.5, "adult", 0.5),
            EvalOptions.defaults().withBootstrap(0, 1));
    assertThat(r.category("gambling").orElseThrow().status())
        .isEqualTo(CategoryResult.INSUFFICIENT);
    assertThat(r.category("gambling").orElseThrow().support()).isZero();
  }

  @Test
  void microMacroConfusionAndSlices() {
    List<Example> ex = new ArrayList<>();
    List<Double> gs = new ArrayList<>();
    List<Double> as = new ArrayList<>();
    // 40 gambling positives: 30 caught, 10 missed; 8 of them also flagged adult.
    for (int i = 0; i < 40; i++) {
      ex.add(domain("g" + i, "test", List.of("gambling"), List.of("gambling"), null));
      gs.add(i < 30 ? 0.9 : 0.2);
      as.add(i < 8 ? 0.7 : Double.NaN);
    }
    // 40 adult positives all caught.
    for (int i = 0; i < 40; i++) {
      ex.add(domain("a" + i, "test", List.of("adult"), List.of("adult"), null));
      gs.add(0.1);
      as.add(0.8);
    }
    // 100 background, 5 flagged gambling; 10 protected sex-ed sites, 4 flagged adult.
    for (int i = 0; i < 100; i++) {
      ex.add(background("bg" + i));
      gs.add(i < 5 ? 0.6 : 0.05);
      as.add(0.05);
    }
    for (int i = 0; i < 10; i++) {
      ex.add(domain("sexed" + i, "test", List.of(), List.of("*"), "sex_education"));
      gs.add(0.01);
      as.add(i < 4 ? 0.9 : 0.1);
    }
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("adult", as.stream().mapToDouble(Double::doubleValue).toArray());
    m.put("gambling", gs.stream().mapToDouble(Double::doubleValue).toArray());
    EvaluationResult r =
        Evaluator.evaluate(
            ex,
            Scores.of(m, ex.size()),
            Map.of("adult", 0.5, "gambling", 0.5),
            EvalOptions.defaults().withBootstrap(100, 5));
    CategoryResult g = r.category("gambling").orElseThrow();
    CategoryResult a = r.category("adult").orElseThrow();
    assertThat(g.tp()).isEqualTo(30);
    assertThat(g.fn()).isEqualTo(10);
    assertThat(g.fp())
        .isEqualTo(5); // background only: adult-list hosts are out of gambling's scope
    assertThat(g.recall().value()).isEqualTo(0.75);
    assertThat(g.recall().lower()).isLessThan(0.75);
    assertThat(g.recall().upper()).isGreaterThan(0.75);
    assertThat(a.fp()).isEqualTo(4); // the sex-ed sites are in scope ("*") for adult
    assertThat(a.recall().value()).isEqualTo(1.0);
    // micro: TP 70, FP 9, FN 10
    assertThat(r.micro().precision().value()).isCloseTo(70.0 / 79, within(1e-12));
    assertThat(r.micro().recall().value()).isCloseTo(70.0 / 80, within(1e-12));
    assertThat(r.macro().recall().value()).isCloseTo((1.0 + 0.75) / 2, within(1e-12));
    // confusion: rows adult, gambling; gambling row -> 30 gambling, 8 adult, 10 none
    assertThat(r.confusion().rows()).containsExactly("adult", "gambling");
    assertThat(r.confusion().columns()).containsExactly("adult", "gambling", "none");
    assertThat(r.confusion().counts()[1]).containsExactly(8, 30, 10);
    assertThat(r.confusion().rowTotals()).containsExactly(40, 40);
    assertThat(r.overBlocking().blockRate().value()).isEqualTo(0.05);
    assertThat(r.overBlocking().flagRateByCategory()).containsEntry("gambling", 0.05);
    SliceTable prot =
        r.slices().stream()
            .filter(t -> t.dimension().equals("protected"))
            .findFirst()
            .orElseThrow();
    assertThat(prot.rows().get(0).value()).isEqualTo("sex_education");
    assertThat(prot.rows().get(0).blockRate().value()).isEqualTo(0.4);
    assertThat(prot.rows().get(0).topFlagged()).isEqualTo("adult");
    assertThat(prot.rows().get(1).value()).isEqualTo("(ordinary background sites)");
    assertThat(prot.rows().get(1).blockRate().value()).isEqualTo(0.05);
    assertThat(g.topFalseNegatives()).hasSize(10);
    assertThat(g.topFalsePositives().get(0).input()).startsWith("bg");
  }

  @Test
  void sameSeedSameIntervalsDifferentSeedDifferentIntervals() {
    List<Example> ex = new ArrayList<>();
    double[] s = new double[400];
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 400; i++) {
      boolean pos = i % 4 == 0;
      ex.add(Example.of("e" + i, "test", pos ? List.of("hate") : List.of(), List.of("*")));
      s[i] = Math.min(1, Math.max(0, (pos ? 0.6 : 0.4) + (rng.nextDouble() - 0.5) * 0.7));
    }
    Scores scores = Scores.of(Map.of("hate", s), 400);
    EvaluationResult a =
        Evaluator.evaluate(
            ex, scores, Map.of("hate", 0.5), EvalOptions.defaults().withBootstrap(300, 42));
    EvaluationResult b =
        Evaluator.evaluate(
            ex, scores, Map.of("hate", 0.5), EvalOptions.defaults().withBootstrap(300, 42));
    EvaluationResult c =
        Evaluator.evaluate(
            ex, scores, Map.of("hate", 0.5), EvalOptions.defaults().withBootstrap(300, 43));
    CategoryResult ra = a.category("hate").orElseThrow();
    assertThat(ra.auprc()).isEqualTo(b.category("hate").orElseThrow().auprc());
    assertThat(ra.f1()).isEqualTo(b.category("hate").orElseThrow().f1());
    assertThat(ra.auprc()).isNotEqualTo(c.category("hate").orElseThrow().auprc());
    assertThat(ra.auprc().lower()).isLessThan(ra.auprc().value());
    assertThat(ra.auprc().upper()).isGreaterThan(ra.auprc().value());
  }

  @Test
  void misalignedInputsAreRejected() {
    List<Example> ex = List.of(background("bg"));
    assertThatThrownBy(() -> Scores.of(Map.of("adult", new double[] {0.1, 0.2}), 1))
        .hasMessageContaining("2 values for 1 examples");
    assertThatThrownBy(() -> Scores.of(Map.of("adult", new double[] {1.5}), 1))
        .hasMessageContaining("outside [0, 1]");
    Scores s = Scores.of(Map.of("adult", new double[] {0.1}), 1);
    assertThatThrownBy(() -> Evaluator.evaluate(ex, s, Map.of(), EvalOptions.defaults()))
        .hasMessageContaining("no threshold for category 'adult'");
  }
}
