package dev.sieve.eval.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.metrics.GroupCounts;
import dev.sieve.eval.metrics.RankedCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ThresholdSelectorTest {

  private static GroupCounts counts(double[] s, int... labels) {
    boolean[] y = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      y[i] = labels[i] == 1;
    }
    return RankedCategory.of(s, y).counts();
  }

  private static ThresholdRule rule(
      String objective, Double minRecall, Double minPrecision, Double maxBg) {
    return new ThresholdRule(objective, minRecall, minPrecision, maxBg, null, null);
  }

  @Test
  void maxF1PicksTheBestThresholdAndPrefersTheHigherOnTies() {
    // scores: P .9, N .8, P .7, N .6, P .5
    GroupCounts gc = counts(new double[] {0.9, 0.8, 0.7, 0.6, 0.5}, 1, 0, 1, 0, 1);
    // F1 at .9 = 2/4=.5; .8 = 2/5=.4; .7 = 4/6=.667; .6 = 4/7=.571; .5 = 6/8 = .75
    assertThat(ThresholdSelector.choose(gc, ThresholdRule.maxF1(), 1).threshold()).isEqualTo(0.5);
    GroupCounts tie = counts(new double[] {0.9, 0.8}, 1, 1);
    // F1 at .9 = 2/3, at .8 = 1: highest F1 wins
    assertThat(ThresholdSelector.choose(tie, ThresholdRule.maxF1(), 1).threshold()).isEqualTo(0.8);
    GroupCounts flat = counts(new double[] {0.9, 0.8, 0.7}, 1, 0, 1);
    // F1 at .9 = 2/3; .8 = 2/4 = .5; .7 = 4/5 = .8
    assertThat(ThresholdSelector.choose(flat, ThresholdRule.maxF1(), 1).threshold()).isEqualTo(0.7);
  }

  @Test
  void recallFloorThenMaxPrecision() {
    // P .9, P .8, N .7, P .6, N .5, P .4 ; 4 positives
    GroupCounts gc = counts(new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4}, 1, 1, 0, 1, 0, 1);
    ThresholdSet.class.getName();
    var s = ThresholdSelector.choose(gc, rule("max_precision", 0.75, null, null), 1);
    // recall >= .75 first reached at .6 (3/4, precision 3/4); at .4 recall 1, precision 4/6
    assertThat(s.threshold()).isEqualTo(0.6);
    assertThat(s.status()).isEqualTo("selected");
    var full = ThresholdSelector.choose(gc, rule("max_precision", 1.0, null, null), 1);
    assertThat(full.threshold()).isEqualTo(0.4);
  }

  @Test
  void backgroundCeilingConstrainsAndIsNeverRelaxed() {
    List<Example> ex = new ArrayList<>();
    double[] s = {0.9, 0.8, 0.7, 0.6, 0.5};
    ex.add(Example.of("p1", "dev", List.of("adult"), List.of("adult")));
    ex.add(
        new Example("bg1", "a", "dev", Set.of(), Set.of("*"), Map.of(), Map.of(), List.of(), true));
    ex.add(Example.of("p2", "dev", List.of("adult"), List.of("adult")));
    ex.add(
        new Example("bg2", "b", "dev", Set.of(), Set.of("*"), Map.of(), Map.of(), List.of(), true));
    ex.add(Example.of("p3", "dev", List.of("adult"), List.of("adult")));
    GroupCounts gc = RankedCategory.build("adult", ex, s).counts();
    // Unconstrained max F1 flags everything (F1 6/8); background <= 0 allows only .9 (F1 2/4).
    assertThat(ThresholdSelector.choose(gc, ThresholdRule.maxF1(), 1).threshold()).isEqualTo(0.5);
    var capped = ThresholdSelector.choose(gc, rule("max_f1", null, null, 0.0), 1);
    assertThat(capped.threshold()).isEqualTo(0.9);
    assertThat(capped.status()).isEqualTo("selected");
    // recall >= 1 and background <= 0 cannot both hold: the ceiling holds, the floor is reported
    // unmet, and the threshold gives the most recall the ceiling allows (.9: 1 of 3 positives).
    var floorUnmet = ThresholdSelector.choose(gc, rule("max_precision", 1.0, null, 0.0), 1);
    assertThat(floorUnmet.threshold()).isEqualTo(0.9);
    assertThat(floorUnmet.status()).isEqualTo("floors_unmet");
    assertThat(floorUnmet.unmet())
        .singleElement()
        .asString()
        .contains("recall >= 1.0 not reachable")
        .contains("while the background ceiling holds")
        .contains("recall 0.333");
  }

  /** EVALUATION.md: a ceiling fitted on pooled ordinary data must hold on every ordinary source. */
  @Test
  void theCeilingHoldsOnEveryOrdinarySourceNotOnlyOnThePool() {
    List<Example> ex = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ex.add(Example.of("p" + i, "dev", List.of("violence"), List.of("violence")));
      scores.add(0.9 - i * 0.004); // 0.9 .. 0.704
    }
    // 1,000 textbook passages never flagged and 200 user posts of which 20 score 0.8: pooled, 20 of
    // 1,200 = 1.7% at 0.8; on the posts alone 10%.
    for (int i = 0; i < 1000; i++) {
      ex.add(bg("book" + i, "ordinary/openstax"));
      scores.add(0.1);
    }
    for (int i = 0; i < 200; i++) {
      ex.add(bg("post" + i, "hate/sbic"));
      scores.add(i < 20 ? 0.8 : 0.1);
    }
    double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
    DevSplit dev = DevSplit.of(ex, Scores.of(Map.of("violence", s), s.length));
    ThresholdPolicy policy = new ThresholdPolicy(rule("max_f1", null, null, 0.02), Map.of());
    ThresholdChoice c =
        ThresholdSelector.select(
                dev, policy, EvalOptions.defaults().withBootstrap(0, 1), "ds", "raw")
            .categories()
            .get("violence");
    // The pooled ceiling (2%) allows 0.704 (all positives, 20 of 1,200 ordinary flagged = 1.7%);
    // the posts' 10% (Wilson lower bound ~6.6%) does not, so the threshold rises above 0.8.
    assertThat(c.threshold()).isGreaterThan(0.8);
    assertThat(c.status()).isEqualTo("raised_for_sources");
    assertThat(c.unmet())
        .anyMatch(u -> u.contains("every ordinary source") && u.contains("hate/sbic"));
  }

  /** 50 violence positives scoring 0.9 .. 0.704, then ordinary items per source. */
  private static ThresholdChoice selectWithSources(
      ThresholdRule rule, Map<String, double[]> ordinaryBySource) {
    List<Example> ex = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ex.add(Example.of("p" + i, "dev", List.of("violence"), List.of("violence")));
      scores.add(0.9 - i * 0.004);
    }
    ordinaryBySource.forEach(
        (source, values) -> {
          for (int i = 0; i < values.length; i++) {
            ex.add(bg(source + i, source));
            scores.add(values[i]);
          }
        });
    double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
    DevSplit dev = DevSplit.of(ex, Scores.of(Map.of("violence", s), s.length));
    return ThresholdSelector.select(
            dev,
            new ThresholdPolicy(rule, Map.of()),
            EvalOptions.defaults().withBootstrap(0, 1),
            "ds",
            "raw")
        .categories()
        .get("violence");
  }

  /**
   * {@code n} ordinary scores, the first {@code high} of them at {@code highScore}, the rest 0.1.
   */
  private static double[] ordinary(int n, int high, double highScore) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = i < high ? highScore : 0.1;
    }
    return out;
  }

  @Test
  void sourcesUnderTheMinimumSizeAreReportedNotHeldToTheCeiling() {
    int small = ThresholdSelector.MIN_SOURCE_ITEMS - 10;
    // 40 posts of which 20 score 0.8 (50%, far above 2%), but 40 items are too few to hold a
    // ceiling on.
    Map<String, double[]> sources =
        new TreeMap<>(
            Map.of(
                "ordinary/openstax", ordinary(1000, 0, 0), "hate/sbic", ordinary(small, 20, 0.8)));
    ThresholdChoice c = selectWithSources(rule("max_f1", null, null, 0.02), sources);
    assertThat(c.status()).isEqualTo("selected");
    assertThat(c.threshold()).isEqualTo(0.9 - 49 * 0.004);
    assertThat(c.unmet()).isEmpty();
    // Ten more posts and the same rate is held: the threshold rises above the posts' 0.8.
    sources.put("hate/sbic", ordinary(ThresholdSelector.MIN_SOURCE_ITEMS, 20, 0.8));
    ThresholdChoice held = selectWithSources(rule("max_f1", null, null, 0.02), sources);
    assertThat(held.status()).isEqualTo("raised_for_sources");
    assertThat(held.threshold()).isGreaterThan(0.8);
  }

  @Test
  void whenNoThresholdHoldsOnEverySourceTheCategoryFlagsNothing() {
    // 20 of 200 posts score 0.995, above every positive: pooled 20 of 1,200 = 1.7% is under the 2%
    // ceiling at any threshold, but the posts alone are 10% wherever a positive is flagged.
    ThresholdChoice c =
        selectWithSources(
            rule("max_f1", null, null, 0.02),
            Map.of(
                "ordinary/openstax", ordinary(1000, 0, 0), "hate/sbic", ordinary(200, 20, 0.995)));
    assertThat(c.status()).isEqualTo("raised_for_sources");
    assertThat(c.threshold()).isGreaterThan(0.995);
    assertThat(c.devRecall()).isZero();
    assertThat(c.devBackgroundFlagRate()).isZero();
    assertThat(c.unmet())
        .anyMatch(u -> u.contains("hate/sbic: 20 of 200 flagged"))
        .anyMatch(u -> u.contains("dev recall 1.000 -> 0.000"));
  }

  @Test
  void aRaiseForSourcesKeepsTheFloorsUnmetStatusAndRecordsBoth() {
    // 30 textbook passages at 0.75 make recall 1.0 impossible under the pooled 2% ceiling; the
    // closest threshold (0.752) still flags 20 of 200 posts at 0.8, so it is raised above them.
    double[] books = ordinary(1000, 30, 0.75);
    ThresholdChoice c =
        selectWithSources(
            rule("max_precision", 1.0, null, 0.02),
            Map.of("ordinary/openstax", books, "hate/sbic", ordinary(200, 20, 0.8)));
    assertThat(c.status()).isEqualTo("floors_unmet");
    assertThat(c.threshold()).isGreaterThan(0.8);
    assertThat(c.unmet()).hasSize(3);
    assertThat(c.unmet().get(0))
        .contains("recall >= 1.0 not reachable")
        .contains("while the background ceiling holds");
    assertThat(c.unmet().get(1))
        .contains("so the background ceiling 0.0200 holds on every ordinary source")
        .contains("hate/sbic");
    assertThat(c.unmet().get(2)).startsWith("dev recall");
  }

  private static Example bg(String id, String source) {
    return new Example(
        id,
        id,
        "dev",
        Set.of(),
        Set.of("*"),
        Map.of("source", List.of(source)),
        Map.of(),
        List.of(),
        true);
  }

  @Test
  void aScorerWithoutSignalFlagsNothingUnderABackgroundCeilingInsteadOfEverything() {
    List<Example> ex = new ArrayList<>();
    double[] s = new double[100];
    for (int i = 0; i < 100; i++) {
      boolean pos = i < 40;
      ex.add(
          pos
              ? Example.of("p" + i, "dev", List.of("drugs"), List.of("drugs"))
              : new Example(
                  "bg" + i,
                  "h",
                  "dev",
                  Set.of(),
                  Set.of("*"),
                  Map.of(),
                  Map.of(),
                  List.of(),
                  true));
      s[i] = 0.2; // every item tied: any threshold flags all of them
    }
    GroupCounts gc = RankedCategory.build("drugs", ex, s).counts();
    // Without a ceiling max F1 flags everything (F1 = 80/140); with one it flags nothing.
    assertThat(ThresholdSelector.choose(gc, ThresholdRule.maxF1(), 30).threshold()).isEqualTo(0.2);
    var capped = ThresholdSelector.choose(gc, rule("max_f1", null, null, 0.02), 30);
    assertThat(capped.threshold()).isGreaterThan(0.2);
    assertThat(gc.at(capped.threshold()).tp() + gc.at(capped.threshold()).fp()).isZero();
    assertThat(capped.unmet()).singleElement().asString().contains("flags nothing");
  }

  @Test
  void withoutPositivesOnlyABackgroundCeilingCanChoose() {
    List<Example> ex = new ArrayList<>();
    double[] s = new double[100];
    for (int i = 0; i < 100; i++) {
      ex.add(
          new Example(
              "bg" + i,
              "h" + i,
              "dev",
              Set.of(),
              Set.of("*"),
              Map.of(),
              Map.of(),
              List.of(),
              true));
      s[i] = i / 100.0;
    }
    GroupCounts gc = RankedCategory.build("self_harm", ex, s).counts();
    var bgOnly = ThresholdSelector.choose(gc, rule("max_precision", 0.95, null, 0.05), 30);
    assertThat(bgOnly.status()).isEqualTo("background_only");
    assertThat(bgOnly.threshold()).isEqualTo(0.95); // flags .95..0.99 = 5 of 100
    var none = ThresholdSelector.choose(gc, ThresholdRule.maxF1(), 30);
    assertThat(none.status()).isEqualTo("insufficient_data");
    assertThat(none.threshold()).isEqualTo(0.5);
  }

  @Test
  void fixedThresholdIsKept() {
    GroupCounts gc = counts(new double[] {0.9, 0.1}, 1, 0);
    var s =
        ThresholdSelector.choose(gc, new ThresholdRule("fixed", null, null, null, 0.42, null), 1);
    assertThat(s.threshold()).isEqualTo(0.42);
    assertThat(s.status()).isEqualTo("fixed");
  }

  @Test
  void selectionRefusesAnyExampleThatIsNotFromDev() {
    List<Example> ex =
        List.of(
            Example.of("a", "dev", List.of("adult"), List.of("*")),
            Example.of("b", "test", List.of(), List.of("*")));
    Scores scores = Scores.of(Map.of("adult", new double[] {0.9, 0.1}), 2);
    assertThatThrownBy(() -> DevSplit.of(ex, scores))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev split only")
        .hasMessageContaining("'b'")
        .hasMessageContaining("'test'");
    List<Example> train = List.of(Example.of("c", "train", List.of(), List.of("*")));
    assertThatThrownBy(() -> DevSplit.of(train, Scores.of(Map.of("adult", new double[] {0.5}), 1)))
        .hasMessageContaining("'train'");
  }

  @Test
  void selectReportsDevMetricsAndADeterministicThresholdInterval() {
    List<Example> ex = new ArrayList<>();
    int n = 300;
    double[] s = new double[n];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      boolean pos = i % 3 == 0;
      ex.add(Example.of("e" + i, "dev", pos ? List.of("gambling") : List.of(), List.of("*")));
      s[i] = Math.min(1, Math.max(0, (pos ? 0.65 : 0.35) + (rng.nextDouble() - 0.5) * 0.6));
    }
    DevSplit dev = DevSplit.of(ex, Scores.of(Map.of("gambling", s), n));
    EvalOptions o = EvalOptions.defaults().withBootstrap(200, 11);
    ThresholdSet a =
        ThresholdSelector.select(dev, ThresholdPolicy.maxF1Everywhere(), o, "ds-1", "raw");
    ThresholdSet b =
        ThresholdSelector.select(dev, ThresholdPolicy.maxF1Everywhere(), o, "ds-1", "raw");
    ThresholdChoice c = a.categories().get("gambling");
    assertThat(a).isEqualTo(b);
    assertThat(c.devPositives()).isEqualTo(100);
    assertThat(c.devRecall()).isNotNull();
    assertThat(c.thresholdCiLower()).isLessThanOrEqualTo(c.threshold());
    assertThat(c.thresholdCiUpper()).isGreaterThanOrEqualTo(c.threshold());
    assertThat(a.selectedOn()).isEqualTo("dev");
  }
}
