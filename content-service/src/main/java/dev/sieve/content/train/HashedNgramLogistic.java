package dev.sieve.content.train;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** A sparse, L2-normalized feature vector. */
  record Sparse(int[] index, float[] value) {}

  private static final HashFunction HASH = Hashing.murmur3_32_fixed();

  private final Params params;
  private final int size;
  private float[] idf;
  private float[][] weights;
  private float[] bias;

  public HashedNgramLogistic(Params params) {
    this.params = params;
    this.size = 1 << params.hashBits();
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  private Map<Integer, Integer> termCounts(String text) {
    List<String> tokens = tokens(text);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      counts.merge(bucket("u:" + tokens.get(i)), 1, Integer::sum);
      if (i + 1 < tokens.size()) {
        counts.merge(bucket("b:" + tokens.get(i) + " " + tokens.get(i + 1)), 1, Integer::sum);
      }
    }
    return counts;
  }

  private int bucket(String feature) {
    return HASH.hashString(feature, StandardCharsets.UTF_8).asInt() & (size - 1);
  }

  Sparse features(String text) {
    Map<Integer, Integer> counts = termCounts(text);
    int[] index = new int[counts.size()];
    float[] value = new float[counts.size()];
    int n = 0;
    double norm = 0;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      index[n] = e.getKey();
      value[n] = (float) ((1 + Math.log(e.getValue())) * idf[e.getKey()]);
      norm += value[n] * value[n];
      n++;
    }
    float inverse = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
    for (int i = 0; i < n; i++) {
      value[i] *= inverse;
    }
    return new Sparse(index, value);
  }

  /** Fits idf and the per-category weights on the training texts. */
  public void fit(List<String> texts, LabelMatrix labels) {
    int[] df = new int[size];
    for (String text : texts) {
      for (int bucket : termCounts(text).keySet()) {
        df[bucket]++;
      }
    }
    idf = new float[size];
    for (int i = 0; i < size; i++) {
      idf[i] = (float) (Math.log((texts.size() + 1.0) / (df[i] + 1.0)) + 1.0);
    }
    List<Sparse> x = texts.stream().map(this::features).toList();
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
        Sparse s = x.get(i);
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
    Sparse s = features(text);
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
