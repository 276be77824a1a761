package dev.sieve.content.model;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hashed word unigrams and bigrams with sublinear tf x idf weights, L2-normalized: the lexical view
 * of a text that the n-gram model ({@link NgramModel}) fuses with the encoder's.
 *
 * <p>One featurizer for training and serving: the trainer's logistic regression and the served
 * model both call {@link #features}, so a token means the same bucket in both.
 */
public final class NgramFeaturizer {

  /** A sparse, L2-normalized feature vector. */
  public record Sparse(int[] index, float[] value) {}

  private static final HashFunction HASH = Hashing.murmur3_32_fixed();

  private final int size;

  public NgramFeaturizer(int hashBits) {
    if (hashBits < 8 || hashBits > 24) {
      throw new IllegalArgumentException("hash bits must be in [8, 24], got " + hashBits);
    }
    this.size = 1 << hashBits;
  }

  /** Number of hash buckets. */
  public int size() {
    return size;
  }

  /** Lower-cased runs of letters, digits and apostrophes. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  /** Bucket to count of the text's unigrams ("u:") and bigrams ("b:"). */
  public Map<Integer, Integer> termCounts(String text) {
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

  /** (1 + log tf) x idf per bucket, L2-normalized; {@code idf} has one entry per bucket. */
  public Sparse features(String text, float[] idf) {
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
}
