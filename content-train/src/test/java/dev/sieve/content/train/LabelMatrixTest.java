package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Loss weights of the content head: ordinary text balanced across its sources (one large source
 * must not define "ordinary"), help texts weighted as hard negatives of the harmful category they
 * share words with, out-of-scope labels masked.
 */
class LabelMatrixTest {

  private static final List<String> OUTPUTS = List.of("adult", "self_harm", "hate");

  private static TextExample ex(String id, String source, Set<String> labels, Set<String> scope) {
    return new TextExample(
        id, "text " + id, "passage", source, "train", labels, scope, List.of(), "");
  }

  private static List<TextExample> examples() {
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      out.add(ex("book" + i, "ordinary/openstax", Set.of(), Set.of("*")));
    }
    for (int i = 0; i < 25; i++) {
      out.add(ex("post" + i, "hate/sbic", Set.of(), Set.of("*")));
    }
    out.add(ex("tweet", "davidson", Set.of("hate"), Set.of("hate")));
    out.add(ex("porn", "reddit/nsfw", Set.of("adult"), Set.of("adult")));
    out.add(ex("sexed", "ordinary/medquad", Set.of("sex_education"), Set.of("*")));
    out.add(ex("crisis", "ordinary/medquad", Set.of("self_harm_help"), Set.of("*")));
    return out;
  }

  @Test
  void ordinaryTextOfEachSourceWeighsTheSquareRootOfMeanOverItsSize() {
    List<TextExample> ex = examples();
    double[] w = LabelMatrix.ordinarySourceWeights(ex);
    // Ordinary sources: openstax 100, sbic 25, medquad 2 -> mean 127 / 3.
    double mean = 127 / 3.0;
    assertThat(w[0]).isCloseTo(Math.sqrt(mean / 100), within(1e-12));
    assertThat(w[100]).isCloseTo(Math.sqrt(mean / 25), within(1e-12));
    assertThat(w[127]).isCloseTo(Math.sqrt(mean / 2), within(1e-12));
    // Labelled, non-ordinary texts keep weight 1.
    assertThat(w[125]).isEqualTo(1.0);
    assertThat(w[126]).isEqualTo(1.0);
    // Each source's total ordinary weight grows with the square root of its size, not linearly.
    assertThat(100 * w[0] / (25 * w[100])).isCloseTo(Math.sqrt(100.0 / 25), within(1e-9));
  }

  @Test
  void negativesCarryTheSourceWeightPositivesTheClassWeightAndUnknownLabelsNothing() {
    List<TextExample> ex = examples();
    double[] source = LabelMatrix.ordinarySourceWeights(ex);
    LabelMatrix m = LabelMatrix.of(ex, OUTPUTS, new double[] {4, 5, 6}, source);
    assertThat(m.categories()).isEqualTo(OUTPUTS);
    // A textbook passage: a negative of every output, at its source weight.
    assertThat(m.target()[0]).containsExactly(0f, 0f, 0f);
    assertThat(m.weight()[0])
        .containsExactly((float) source[0], (float) source[0], (float) source[0]);
    // A Davidson tweet says nothing about adult or self_harm: masked, not a negative.
    assertThat(m.target()[125]).containsExactly(0f, 0f, 1f);
    assertThat(m.weight()[125]).containsExactly(0f, 0f, 6f);
    // A positive gets its class weight, never a source weight.
    assertThat(m.weight()[126]).containsExactly(4f, 0f, 0f);
    // Without source weights every negative weighs 1.
    LabelMatrix plain = LabelMatrix.of(ex, OUTPUTS, new double[] {4, 5, 6});
    assertThat(plain.weight()[0]).containsExactly(1f, 1f, 1f);
    assertThat(plain.weight()[100]).containsExactly(1f, 1f, 1f);
  }

  @Test
  void anOrdinaryPositiveKeepsItsClassWeight() {
    List<TextExample> ex = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ex.add(ex("book" + i, "ordinary/openstax", Set.of(), Set.of("*")));
    }
    ex.add(ex("report", "ordinary/onestopenglish", Set.of("adult"), Set.of("*")));
    double[] source = LabelMatrix.ordinarySourceWeights(ex);
    LabelMatrix m = LabelMatrix.of(ex, List.of("adult"), new double[] {4}, source);
    // Source balancing is for negatives: a positive that happens to be ordinary text keeps 4.
    assertThat(source[4]).isNotEqualTo(1.0);
    assertThat(m.weight()[4][0]).isEqualTo(4f);
    assertThat(m.weight()[0][0]).isEqualTo((float) source[0]);
  }

  @Test
  void helpTextsAreHardNegativesOfTheHarmfulCategoryTheyShareWordsWith() {
    List<TextExample> ex = examples();
    LabelMatrix m = LabelMatrix.of(ex, OUTPUTS, new double[] {4, 5, 6});
    float hard = LabelMatrix.HARD_NEGATIVE_WEIGHT;
    assertThat(hard).isEqualTo(3f);
    // A sex-education passage: 3x as an adult negative, an ordinary negative of self_harm and hate.
    assertThat(m.target()[127]).containsExactly(0f, 0f, 0f);
    assertThat(m.weight()[127]).containsExactly(hard, 1f, 1f);
    // A crisis-help passage: 3x as a self_harm negative only.
    assertThat(m.weight()[128]).containsExactly(1f, hard, 1f);
    // With source weights the two multiply.
    double[] source = LabelMatrix.ordinarySourceWeights(ex);
    LabelMatrix weighted = LabelMatrix.of(ex, OUTPUTS, new double[] {4, 5, 6}, source);
    assertThat(weighted.weight()[127][0]).isCloseTo((float) (source[127] * 3), within(1e-5f));
    assertThat(LabelMatrix.hardNegative(ex.get(127), "hate")).isEqualTo(1f);
    assertThat(LabelMatrix.hardNegative(ex.get(0), "adult")).isEqualTo(1f);
  }
}
