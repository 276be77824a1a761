package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.Example;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which sources become leave-one-source-out folds, and how trainer examples look to the evaluation.
 */
class SourceHoldoutTest {

  private static final List<String> OUTPUTS = List.of("adult", "self_harm");

  private static void add(
      List<TextExample> out, int n, String source, Set<String> labels, Set<String> scope) {
    for (int i = 0; i < n; i++) {
      out.add(
          new TextExample(
              source + i,
              "t",
              "post",
              source,
              i % 2 == 0 ? "train" : "dev",
              labels,
              scope,
              List.of(),
              ""));
    }
  }

  private static SourceHoldout holdout(List<TextExample> examples) {
    return new SourceHoldout(
        examples,
        new float[examples.size()][],
        List.of(),
        OUTPUTS,
        null,
        EvaluationPolicy.builtIn(),
        "ds-test");
  }

  @Test
  void aSourceIsAFoldWithEnoughPositivesOfAnOutputOrEnoughOrdinaryRecords() {
    List<TextExample> ex = new ArrayList<>();
    add(ex, SourceHoldout.MIN_POSITIVES, "reddit/nsfw", Set.of("adult"), Set.of("adult"));
    add(ex, SourceHoldout.MIN_POSITIVES - 1, "tumblr", Set.of("adult"), Set.of("adult"));
    // Plenty of positives, but of a category the head has no output for.
    add(ex, 200, "davidson", Set.of("hate"), Set.of("hate"));
    // Positives split over two outputs, each under the minimum.
    add(ex, 20, "mixed", Set.of("adult"), Set.of("*"));
    add(ex, 20, "mixed", Set.of("self_harm"), Set.of("*"));
    add(ex, SourceHoldout.MIN_ORDINARY, "ordinary/recipes", Set.of(), Set.of("*"));
    add(ex, SourceHoldout.MIN_ORDINARY - 1, "ordinary/shakespeare", Set.of(), Set.of("*"));
    // Negatives that are not ordinary (scope is one category) do not make a source a fold.
    add(ex, 500, "cssrs", Set.of(), Set.of("self_harm"));
    assertThat(holdout(ex).folds()).containsExactly("ordinary/recipes", "reddit/nsfw");
  }

  @Test
  void trainerExamplesBecomeEvaluationExamplesWithTheSameSlicesAsDatasetTexts() {
    Example ordinary =
        SourceHoldout.example(
            new TextExample(
                "m1",
                "How vaccines work.",
                "passage",
                "ordinary/medquad",
                "dev",
                Set.of("sex_education"),
                Set.of("*"),
                List.of("keyword_derived"),
                ""));
    assertThat(ordinary.id()).isEqualTo("text:m1");
    assertThat(ordinary.background()).isTrue();
    assertThat(ordinary.split()).isEqualTo("dev");
    assertThat(ordinary.slice("input")).containsExactly("text");
    assertThat(ordinary.slice("source")).containsExactly("ordinary/medquad");
    assertThat(ordinary.slice("kind")).containsExactly("passage");
    assertThat(ordinary.flags()).containsExactly("keyword_derived");
    assertThat(ordinary.positive("sex_education")).isTrue();
    Example scoped =
        SourceHoldout.example(
            new TextExample(
                "d1", "x", "tweet", "davidson", "dev", Set.of(), Set.of("hate"), List.of(), ""));
    assertThat(scoped.background()).isFalse();
    assertThat(scoped.inScope("adult")).isFalse();
  }
}
