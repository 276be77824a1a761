package dev.sieve.eval.metrics;

import dev.sieve.eval.Example;
import java.util.Arrays;
import java.util.List;

/**
 * The examples in scope for one category, sorted once by descending score, ready to be counted (and
 * re-counted under bootstrap weights) into {@link GroupCounts}.
 *
 * <p>Only examples whose label scope covers the category take part (see {@link
 * Example#inScope(String)}); a "no opinion" score ({@code NaN}) ranks last and is never flagged.
 */
public final class RankedCategory {

  private final String category;
  private final int[] exampleIndex;
  private final boolean[] positive;
  private final boolean[] background;
  private final int[] groupStart;
  private final double[] groupScore;
  private final int scored;

  private RankedCategory(
      String category,
      int[] exampleIndex,
      double[] sorted,
      boolean[] positive,
      boolean[] background) {
    this.category = category;
    this.exampleIndex = exampleIndex;
    this.positive = positive;
    this.background = background;
    int n = sorted.length;
    int[] starts = new int[n + 1];
    double[] scores = new double[n];
    int g = 0;
    int withOpinion = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || Double.compare(sorted[i], sorted[i - 1]) != 0) {
        starts[g] = i;
        scores[g] = sorted[i];
        g++;
      }
      if (!Double.isInfinite(sorted[i])) {
        withOpinion++;
      }
    }
    starts[g] = n;
    this.groupStart = Arrays.copyOf(starts, g + 1);
    this.groupScore = Arrays.copyOf(scores, g);
    this.scored = withOpinion;
  }

  /** Ranks the in-scope examples of {@code category}; {@code scores} is aligned with examples. */
  public static RankedCategory build(String category, List<Example> examples, double[] scores) {
    int n = 0;
    int[] idx = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).inScope(category)) {
        idx[n++] = i;
      }
    }
    boolean[] pos = new boolean[n];
    boolean[] bg = new boolean[n];
    double[] s = new double[n];
    for (int j = 0; j < n; j++) {
      Example e = examples.get(idx[j]);
      pos[j] = e.positive(category);
      bg[j] = e.background() && !pos[j];
      double v = scores[idx[j]];
      s[j] = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }
    return sort(category, Arrays.copyOf(idx, n), s, pos, bg);
  }

  /** Every item in scope, no background: for trainers and tests with plain arrays. */
  public static RankedCategory of(double[] scores, boolean[] labels) {
    return of(scores, labels, new boolean[scores.length]);
  }

  /**
   * Every item in scope, with background (ordinary-traffic) items marked: for a trainer that holds
   * a background ceiling on dev. A positive is never counted as background.
   */
  public static RankedCategory of(double[] scores, boolean[] labels, boolean[] background) {
    if (scores.length != labels.length || scores.length != background.length) {
      throw new IllegalArgumentException("scores, labels and background differ in length");
    }
    int n = scores.length;
    int[] idx = new int[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      s[i] = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
    }
    boolean[] bg = new boolean[n];
    for (int i = 0; i < n; i++) {
      bg[i] = background[i] && !labels[i];
    }
    return sort("_", idx, s, labels.clone(), bg);
  }

  private static RankedCategory sort(
      String category, int[] idx, double[] s, boolean[] pos, boolean[] bg) {
    int n = idx.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Descending score; ties by example index so the order (and every thinned curve) is stable.
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(s[b], s[a]);
          return c != 0 ? c : Integer.compare(idx[a], idx[b]);
        });
    int[] sIdx = new int[n];
    double[] sScore = new double[n];
    boolean[] sPos = new boolean[n];
    boolean[] sBg = new boolean[n];
    for (int i = 0; i < n; i++) {
      int o = order[i];
      sIdx[i] = idx[o];
      sScore[i] = s[o];
      sPos[i] = pos[o];
      sBg[i] = bg[o];
    }
    return new RankedCategory(category, sIdx, sScore, sPos, sBg);
  }

  public String category() {
    return category;
  }

  /** Number of in-scope examples. */
  public int size() {
    return exampleIndex.length;
  }

  /** In-scope examples the scorer had an opinion on. */
  public int scored() {
    return scored;
  }

  /** Unweighted counts. */
  public GroupCounts counts() {
    return counts(null);
  }

  /**
   * Counts under per-example weights (bootstrap multiplicities indexed by the example's position in
   * the evaluated list); {@code null} = every weight 1.
   */
  public GroupCounts counts(int[] weights) {
    int groups = groupScore.length;
    long[] pos = new long[groups];
    long[] neg = new long[groups];
    long[] bg = new long[groups];
    long tp = 0;
    long tn = 0;
    long tb = 0;
    for (int g = 0; g < groups; g++) {
      long p = 0;
      long q = 0;
      long b = 0;
      for (int j = groupStart[g]; j < groupStart[g + 1]; j++) {
        int w = weights == null ? 1 : weights[exampleIndex[j]];
        if (w == 0) {
          continue;
        }
        if (positive[j]) {
          p += w;
        } else {
          q += w;
          if (background[j]) {
            b += w;
          }
        }
      }
      pos[g] = p;
      neg[g] = q;
      bg[g] = b;
      tp += p;
      tn += q;
      tb += b;
    }
    return new GroupCounts(groupScore, pos, neg, bg, tp, tn, tb);
  }

  /** Example indices (into the evaluated list) in descending score order. */
  public int[] exampleOrder() {
    return exampleIndex.clone();
  }
}
