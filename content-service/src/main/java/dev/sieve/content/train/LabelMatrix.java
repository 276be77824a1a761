package dev.sieve.content.train;

import java.util.List;

/**
 * Targets and loss weights for a list of examples over the head's categories.
 *
 * <p>{@code weight[i][k]} is 0 when example i's labels say nothing about category k (a Davidson
 * tweet is labelled for hate only: its loss for self_harm is masked, not treated as a negative);
 * otherwise the class weight of k for positives, 1 for negatives.
 */
public record LabelMatrix(List<String> categories, float[][] target, float[][] weight) {

  public static LabelMatrix of(List<TextExample> examples, List<String> categories, double[] positiveWeights) {
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
        weight[i][k] = positive ? (float) positiveWeights[k] : 1f;
      }
    }
    return new LabelMatrix(categories, target, weight);
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
