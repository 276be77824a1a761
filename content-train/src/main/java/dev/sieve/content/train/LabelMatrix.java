package dev.sieve.content.train;

import dev.sieve.core.taxonomy.Taxonomy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Targets and loss weights for a list of examples over the head's categories.
 *
 * <p>{@code weight[i][k]} is 0 when example i's labels say nothing about category k (a Davidson
 * tweet is labelled for hate only: its loss for self_harm is masked, not treated as a negative);
 * otherwise the class weight of k for positives, 1 for negatives.
 */
public record LabelMatrix(List<String> categories, float[][] target, float[][] weight) {

  public static LabelMatrix of(
      List<TextExample> examples, List<String> categories, double[] positiveWeights) {
    return of(examples, categories, positiveWeights, null);
  }

  /**
   * As above, with a weight per example multiplying its negative terms ({@code null} = 1): how the
   * trainer balances ordinary text across its sources ({@link #ordinarySourceWeights}).
   */
  public static LabelMatrix of(
      List<TextExample> examples,
      List<String> categories,
      double[] positiveWeights,
      double[] negativeWeight) {
    float[][] target = new float[examples.size()][categories.size()];
    float[][] weight = new float[examples.size()][categories.size()];
    for (int i = 0; i < examples.size(); i++) {
      TextExample example = examples.get(i);
      for (int k = 0; k < categories.size(); k++) {
        String category = categories.get(k);
        if (!example.inScope(category)) {
          continue;
        }
        boolean positive = example.positive(category);
        target[i][k] = positive ? 1f : 0f;
        weight[i][k] =
            positive
                ? (float) positiveWeights[k]
                : (negativeWeight == null ? 1f : (float) negativeWeight[i])
                    * hardNegative(example, category);
      }
    }
    return new LabelMatrix(categories, target, weight);
  }

  /**
   * Weights that keep one large ordinary source from defining "ordinary": an ordinary (label scope
   * "*") example of source s weighs sqrt(mean ordinary-source size / size of s); everything else 1.
   * Without it, 7,600 textbook passages outweigh 1,100 user posts seven to one, and the head learns
   * that ordinary means formal prose -- exactly the register shift that over-blocks user text.
   */
  public static double[] ordinarySourceWeights(List<TextExample> examples) {
    Map<String, Integer> sizes = new TreeMap<>();
    for (TextExample e : examples) {
      if (e.scope().contains("*")) {
        sizes.merge(e.source(), 1, Integer::sum);
      }
    }
    double mean = sizes.values().stream().mapToInt(Integer::intValue).average().orElse(1);
    double[] out = new double[examples.size()];
    for (int i = 0; i < out.length; i++) {
      TextExample e = examples.get(i);
      out[i] = e.scope().contains("*") ? Math.sqrt(mean / sizes.get(e.source())) : 1.0;
    }
    return out;
  }

  /**
   * Weight of a help text as a negative of the harmful category it shares words with (a
   * sex-education passage for adult, a suicide-prevention page for self_harm; {@code
   * Taxonomy#helpFor}): the negatives that decide whether help gets blocked, and the rarest in the
   * data.
   */
  static final float HARD_NEGATIVE_WEIGHT = 3f;

  static float hardNegative(TextExample example, String category) {
    return Taxonomy.v1().helpFor(category).filter(example::positive).isPresent()
        ? HARD_NEGATIVE_WEIGHT
        : 1f;
  }

  /** In-scope positives and negatives of each category. */
  public static int[][] counts(List<TextExample> examples, List<String> categories) {
    int[][] counts = new int[categories.size()][2];
    for (TextExample example : examples) {
      for (int k = 0; k < categories.size(); k++) {
        String category = categories.get(k);
        if (example.inScope(category)) {
          counts[k][example.positive(category) ? 0 : 1]++;
        }
      }
    }
    return counts;
  }
}
