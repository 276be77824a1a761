package dev.sieve.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.eval.metrics.Bootstrap;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.EvaluationResult;
import dev.sieve.eval.report.ExternalValidity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * External validity (evaluation standard v2): flag rates of ordinary inputs per category and per
 * group (all, input kind, ordinary source) with Wilson intervals, and the false-alert rate, from
 * decided categories or from what the router served.
 */
class ExternalValidityAnalyzerTest {

  private static final List<String> CATEGORIES =
      List.of("adult", "self_harm", "self_harm_help", "games");
  private static final String[] STATUS = {
    CategoryResult.MEASURED,
    CategoryResult.MEASURED,
    CategoryResult.INSUFFICIENT,
    CategoryResult.NOT_SCORED
  };

  /**
   * An input of one kind from one source; background (ordinary) when its labels are complete ("*").
   */
  private static Example item(
      String id, String input, String source, boolean ordinary, String... labels) {
    Map<String, List<String>> slices = new LinkedHashMap<>();
    slices.put("input", List.of(input));
    slices.put("source", List.of(source));
    return new Example(
        id,
        id,
        "test",
        Set.of(labels),
        ordinary ? Set.of("*") : Set.of(labels),
        slices,
        Map.of(),
        List.of(),
        ordinary);
  }

  /**
   * 0-1: self_harm positives from C-SSRS (not ordinary); 2-11: textbook passages; 12-16: user posts
   * (16 is a crisis-help post labelled self_harm_help); 17-20: real pages (20 labelled adult, scope
   * "*").
   */
  private static List<Example> examples() {
    List<Example> ex = new ArrayList<>();
    ex.add(item("p0", "text", "cssrs", false, "self_harm"));
    ex.add(item("p1", "text", "cssrs", false, "self_harm"));
    for (int i = 0; i < 10; i++) {
      ex.add(item("book" + i, "text", "ordinary/openstax", true));
    }
    for (int i = 0; i < 4; i++) {
      ex.add(item("post" + i, "text", "hate/sbic", true));
    }
    ex.add(item("help", "text", "hate/sbic", true, "self_harm_help"));
    for (int i = 0; i < 3; i++) {
      ex.add(item("page" + i, "html", "pages/readability", true));
    }
    ex.add(item("page-adult", "html", "pages/readability", true, "adult"));
    return ex;
  }

  /** decided[category][example] from index lists. */
  private static boolean[][] decided(int n, int[]... flaggedPerCategory) {
    boolean[][] d = new boolean[CATEGORIES.size()][n];
    for (int c = 0; c < flaggedPerCategory.length; c++) {
      for (int i : flaggedPerCategory[c]) {
        d[c][i] = true;
      }
    }
    return d;
  }

  private static ExternalValidity.GroupRate row(
      ExternalValidity xv, String category, String group) {
    return xv.of(category).stream().filter(r -> r.group().equals(group)).findFirst().orElseThrow();
  }

  private static void assertRate(ExternalValidity.GroupRate r, long flagged, long items) {
    assertThat(r.items()).as(r.category() + " " + r.group() + " items").isEqualTo(items);
    assertThat(r.flagged()).as(r.category() + " " + r.group() + " flagged").isEqualTo(flagged);
    Bootstrap.Interval ci = Wilson.interval(flagged, items);
    assertThat(r.rate()).isEqualTo(Estimate.of((double) flagged / items, ci));
  }

  @Test
  void groupsAreAllThenInputKindsThenSourcesOfOrdinaryInputsOnly() {
    List<Example> ex = examples();
    ExternalValidity xv =
        ExternalValidityAnalyzer.analyze(
            ex, CATEGORIES, decided(ex.size()), STATUS, EvalOptions.defaultAlerting(), null);
    // cssrs has no ordinary input: it is no group.
    assertThat(xv.groups())
        .containsExactly(
            "all",
            "input:html",
            "input:text",
            "source:hate/sbic",
            "source:ordinary/openstax",
            "source:pages/readability");
    assertThat(ExternalValidityAnalyzer.groupsOf(ex.get(2)))
        .containsExactly("all", "input:text", "source:ordinary/openstax");
    // A category nobody scored has no rows; every other category one per group.
    assertThat(xv.of("games")).isEmpty();
    assertThat(xv.of("adult"))
        .extracting(ExternalValidity.GroupRate::group)
        .containsExactlyElementsOf(xv.groups());
    assertThat(xv.rates()).hasSize(3 * xv.groups().size());
  }

  @Test
  void flagRatesCountOrdinaryInputsNotLabelledWithTheCategoryWithWilsonIntervals() {
    List<Example> ex = examples();
    int n = ex.size();
    // adult: 2 textbook passages, 1 post, the adult-labelled page (a correct flag) and 1 other
    // page.
    // self_harm: both positives (not ordinary: they do not count), 1 post and the help post.
    ExternalValidity xv =
        ExternalValidityAnalyzer.analyze(
            ex,
            CATEGORIES,
            decided(n, new int[] {2, 3, 12, 20, 17}, new int[] {0, 1, 13, 16}),
            STATUS,
            EvalOptions.defaultAlerting(),
            null);
    assertRate(row(xv, "adult", "all"), 4, 18); // 19 ordinary minus the adult-labelled page
    assertRate(row(xv, "adult", "input:text"), 3, 15);
    assertRate(row(xv, "adult", "input:html"), 1, 3);
    assertRate(row(xv, "adult", "source:ordinary/openstax"), 2, 10);
    assertRate(row(xv, "adult", "source:hate/sbic"), 1, 5);
    assertRate(row(xv, "adult", "source:pages/readability"), 1, 3);
    assertRate(row(xv, "self_harm", "all"), 2, 19);
    assertRate(row(xv, "self_harm", "source:hate/sbic"), 2, 5);
    assertRate(row(xv, "self_harm", "input:html"), 0, 4);
    // self_harm_help: the help post is labelled with it and so not an ordinary negative of it.
    assertRate(row(xv, "self_harm_help", "source:hate/sbic"), 0, 4);
    assertThat(row(xv, "self_harm", "source:hate/sbic").rate().lower()).isGreaterThan(0.05);
  }

  @Test
  void falseAlertsAreDecidedAlertingCategoriesOnOrdinaryInputsNoAlertingCategoryLabels() {
    List<Example> ex = examples();
    int n = ex.size();
    assertThat(EvalOptions.defaultAlerting()).containsExactly("self_harm", "self_harm_help");
    // self_harm on post1 and on the help post; self_harm_help on post1 (counted once) and page0;
    // adult on book0 (not an alerting category).
    ExternalValidity xv =
        ExternalValidityAnalyzer.analyze(
            ex,
            CATEGORIES,
            decided(n, new int[] {2}, new int[] {13, 16}, new int[] {13, 17}),
            STATUS,
            EvalOptions.defaultAlerting(),
            null);
    // 19 ordinary inputs minus the help post (labelled self_harm_help: its alert is by design) =
    // 18;
    // alerted: post1 and page0.
    assertThat(xv.falseAlertRate()).isEqualTo(Estimate.of(2.0 / 18, Wilson.interval(2, 18)));
  }

  @Test
  void servedAlertsReplaceDecidedOnesWhenTheRouterSaidWhatItDid() {
    List<Example> ex = examples();
    int n = ex.size();
    boolean[] served = new boolean[n];
    served[0] = true; // a positive: not ordinary
    served[16] = true; // the help post: alerting by design
    served[5] = true; // one textbook passage: a false alert
    // Decided says post1 would alert; the router (help yields, policy) did not: the served verdict
    // counts.
    ExternalValidity xv =
        ExternalValidityAnalyzer.analyze(
            ex,
            CATEGORIES,
            decided(n, new int[] {}, new int[] {13}),
            STATUS,
            EvalOptions.defaultAlerting(),
            served);
    assertThat(xv.falseAlertRate()).isEqualTo(Estimate.of(1.0 / 18, Wilson.interval(1, 18)));
    // Per-category rates stay the decided ones.
    assertRate(row(xv, "self_harm", "all"), 1, 19);
  }

  @Test
  void withoutOrdinaryInputsThereIsNothingToReport() {
    List<Example> ex = List.of(item("p0", "text", "cssrs", false, "self_harm"));
    ExternalValidity xv =
        ExternalValidityAnalyzer.analyze(
            ex, CATEGORIES, decided(1), STATUS, EvalOptions.defaultAlerting(), null);
    assertThat(xv.groups()).isEmpty();
    assertThat(xv.rates()).isEmpty();
    assertThat(xv.falseAlertRate()).isNull();
  }

  /**
   * Through the Evaluator: served blocks and alerts are the router's, per-category rates the
   * scores'.
   */
  @Test
  void theEvaluatorTakesBlockAndAlertRatesFromServedVerdicts() {
    List<Example> ex = examples();
    int n = ex.size();
    double[] adult = new double[n];
    double[] selfHarm = new double[n];
    Arrays.fill(adult, 0.1);
    Arrays.fill(selfHarm, 0.1);
    adult[2] = 0.9; // a textbook passage decided adult, but the router let it through (yields)
    selfHarm[0] = 0.9;
    selfHarm[1] = 0.9;
    boolean[] blocked = new boolean[n];
    boolean[] alerted = new boolean[n];
    blocked[0] = true;
    blocked[1] = true;
    alerted[0] = true;
    alerted[1] = true;
    // A page the router blocked although no category crossed its threshold (fail-closed: a tier
    // was down) and on which it raised the alert.
    blocked[18] = true;
    alerted[18] = true;
    Scores scores = Scores.of(Map.of("adult", adult, "self_harm", selfHarm), n);
    EvalOptions o = EvalOptions.defaults().withMinPositives(1).withBootstrap(0, 1);
    Map<String, Double> t = Map.of("adult", 0.5, "self_harm", 0.5);

    EvaluationResult derived = Evaluator.evaluate(ex, scores, null, t, o);
    assertThat(derived.overBlocking().blockRate().value()).isEqualTo(1.0 / 19);
    assertThat(derived.externalValidity().falseAlertRate().value()).isZero();

    EvaluationResult served =
        Evaluator.evaluate(ex, scores, null, t, o, new Evaluator.Served(blocked, alerted));
    assertThat(served.overBlocking().blockRate().value()).isEqualTo(1.0 / 19);
    assertThat(served.overBlocking().topBlocked()).extracting(e -> e.id()).containsExactly("page1");
    assertThat(served.externalValidity().falseAlertRate().value()).isEqualTo(1.0 / 18);
    assertThat(served.externalValidity().of("adult").get(0).flagged()).isEqualTo(1);
  }

  @Test
  void servedOutcomesMustBeAlignedWithTheExamples() {
    List<Example> ex = examples();
    Scores scores = Scores.of(Map.of("adult", new double[ex.size()]), ex.size());
    assertThatThrownBy(
            () ->
                Evaluator.evaluate(
                    ex,
                    scores,
                    null,
                    Map.of("adult", 0.5),
                    EvalOptions.defaults().withBootstrap(0, 1),
                    new Evaluator.Served(new boolean[3], new boolean[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "served outcomes are not aligned with the " + ex.size() + " examples");
  }
}
