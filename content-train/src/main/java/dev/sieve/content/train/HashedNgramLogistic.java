package dev.sieve.content.train;

import dev.sieve.content.model.NgramFeaturizer;
import dev.sieve.content.model.NgramModel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Baseline: one logistic regression per category over hashed word unigrams and bigrams with
 * TF-IDF-style weights (sublinear tf x idf from the training split, L2-normalized), trained with
 * AdaGrad on the same masked, class-weighted objective as the head.
 *
 * <p>It answers "does the frozen encoder buy anything over lexical features learnt from the same
 * data?", on the same texts (the extractor's output) and the same splits.
 */
public final class HashedNgramLogistic {

  /** Hyper-parameters. */
  public record Params(int hashBits, int epochs, double learningRate, double l2, long seed) {
    public static Params defaults() {
      return new Params(18, 8, 0.5, 1e-6, 20251125L);
    }
  }

  private final NgramFeaturizer featurizer;
  private final Params params;
  private float[] idf;
  private float[][] weights;
  private float[] bias;

  public HashedNgramLogistic(Params params) {
    this.params = params;
    this.featurizer = new NgramFeaturizer(params.hashBits());
  }

  /** The quantized model serving fuses with the head (same featurizer, same weights). */
  public NgramModel toModel() {
    return new NgramModel(params.hashBits(), idf, weights, bias);
  }

  /** Fits idf and the per-category weights on the training texts. */
  public void fit(List<String> texts, LabelMatrix labels) {
    int size = featurizer.size();
    int[] df = new int[size];
    for (String text : texts) {
      for (int bucket : featurizer.termCounts(text).keySet()) {
        df[bucket]++;
      }
    }
    idf = new float[size];
    for (int i = 0; i < size; i++) {
      idf[i] = (float) (Math.log((texts.size() + 1.0) / (df[i] + 1.0)) + 1.0);
    }
    List<NgramFeaturizer.Sparse> x = texts.stream().map(t -> featurizer.features(t, idf)).toList();
    int categories = labels.categories().size();
    weights = new float[categories][size];
    bias = new float[categories];
    float[][] gradSq = new float[categories][size];
    float[] biasSq = new float[categories];
    int[] order = new int[x.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(params.seed());
    double eta = params.learningRate();
    for (int epoch = 0; epoch < params.epochs(); epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i : order) {
        NgramFeaturizer.Sparse s = x.get(i);
        for (int k = 0; k < categories; k++) {
          float w = labels.weight()[i][k];
          if (w == 0f) {
            continue;
          }
          double z = bias[k];
          for (int f = 0; f < s.index().length; f++) {
            z += weights[k][s.index()[f]] * s.value()[f];
          }
          double g = w * (sigmoid(z) - labels.target()[i][k]);
          for (int f = 0; f < s.index().length; f++) {
            int b = s.index()[f];
            double grad = g * s.value()[f] + params.l2() * weights[k][b];
            gradSq[k][b] += (float) (grad * grad);
            weights[k][b] -= (float) (eta * grad / Math.sqrt(gradSq[k][b] + 1e-8));
          }
          biasSq[k] += (float) (g * g);
          bias[k] -= (float) (eta * g / Math.sqrt(biasSq[k] + 1e-8));
        }
      }
    }
  }

  /** Probabilities per category (label matrix order). */
  public double[] predict(String text) {
    NgramFeaturizer.Sparse s = featurizer.features(text, idf);
    double[] out = new double[bias.length];
    for (int k = 0; k < bias.length; k++) {
      double z = bias[k];
      for (int f = 0; f < s.index().length; f++) {
        z += weights[k][s.index()[f]] * s.value()[f];
      }
      out[k] = sigmoid(z);
    }
    return out;
  }

  /** Non-zero weights (a size measure for the card). */
  public long nonZeroWeights() {
    long n = 0;
    for (float[] row : weights) {
      n += Arrays.stream(toDouble(row)).filter(v -> v != 0).count();
    }
    return n;
  }

  private static double[] toDouble(float[] row) {
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = row[i];
    }
    return out;
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
