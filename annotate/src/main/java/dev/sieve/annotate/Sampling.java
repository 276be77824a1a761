package dev.sieve.annotate;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The sampling rules of the queues, as pure functions (tested without a database).
 *
 * <p>Every rule draws with a known, recorded inclusion probability {@code pi} per item, so an
 * estimate over labelled items can be reweighted by {@code 1/pi} (Horvitz–Thompson) and compared
 * with online figures. Active queues (uncertainty, margin, tier disagreement, label-noise review)
 * use Poisson probability-proportional-to-size sampling: item i is taken independently with {@code
 * pi_i = min(1, n * w_i / sum w)} (the excess of capped items redistributed), where the weight
 * {@code w_i} is the queue's priority plus a small floor, so every candidate has a non-zero chance
 * and the most informative are nearly certain. The random queue is stratified by predicted primary
 * category with proportional allocation: {@code pi = n_h / N_h} within stratum h.
 */
public final class Sampling {

  /** Every candidate keeps at least this share of the mean weight (no zero probabilities). */
  static final double WEIGHT_FLOOR = 0.02;

  private Sampling() {}

  /** A candidate: id, priority (higher = more informative), stratum. */
  public record Candidate(String id, double priority, String stratum) {}

  /** A drawn item and its inclusion probability. */
  public record Drawn(String id, double inclusionProbability) {}

  /** Binary entropy of p in bits: 1 at 0.5, 0 at 0 or 1. */
  public static double entropy(double p) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
  }

  /** Uncertainty priority of a score vector: the largest per-category binary entropy. */
  public static double uncertainty(Map<String, Double> scores) {
    double best = 0;
    for (double p : scores.values()) {
      best = Math.max(best, entropy(p));
    }
    return best;
  }

  /**
   * Margin priority: {@code 1 - (top1 - top2)} over category scores; near 1 when the two strongest
   * categories are close (the model cannot tell which applies), 0 with a single clear winner.
   */
  public static double margin(Map<String, Double> scores) {
    double first = 0;
    double second = 0;
    for (double p : scores.values()) {
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    return 1 - (first - second);
  }

  /** Tier disagreement: the largest spread of one category's score between tiers. */
  public static double disagreement(Map<String, Map<String, Double>> tierScores) {
    Map<String, double[]> range = new HashMap<>();
    for (Map<String, Double> tier : tierScores.values()) {
      for (var e : tier.entrySet()) {
        double[] r =
            range.computeIfAbsent(
                e.getKey(), k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
        r[0] = Math.min(r[0], e.getValue());
        r[1] = Math.max(r[1], e.getValue());
      }
    }
    double best = 0;
    for (double[] r : range.values()) {
      best = Math.max(best, r[1] - r[0]);
    }
    return best;
  }

  /**
   * Inclusion probabilities for Poisson PPS sampling of expected size {@code n}: proportional to
   * weight, capped at 1, the capped items' excess redistributed over the others.
   */
  public static double[] ppsProbabilities(double[] weights, double n) {
    int size = weights.length;
    double[] pi = new double[size];
    if (size == 0 || n <= 0) {
      return pi;
    }
    if (n >= size) {
      Arrays.fill(pi, 1.0);
      return pi;
    }
    double mean = 0;
    for (double w : weights) {
      mean += Math.max(0, w);
    }
    mean /= size;
    double floor = mean > 0 ? mean * WEIGHT_FLOOR : 1;
    double[] w = new double[size];
    for (int i = 0; i < size; i++) {
      w[i] = Math.max(0, weights[i]) + floor;
    }
    boolean[] capped = new boolean[size];
    double remaining = n;
    while (true) {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        if (!capped[i]) {
          sum += w[i];
        }
      }
      boolean changed = false;
      for (int i = 0; i < size; i++) {
        if (!capped[i] && remaining * w[i] / sum >= 1) {
          capped[i] = true;
          remaining -= 1;
          changed = true;
        }
      }
      if (!changed) {
        for (int i = 0; i < size; i++) {
          pi[i] = capped[i] ? 1 : remaining * w[i] / sum;
        }
        return pi;
      }
    }
  }

  /** Poisson PPS draw: each candidate independently with its probability; order = priority. */
  public static List<Drawn> pps(List<Candidate> candidates, double n, Random random) {
    double[] w = new double[candidates.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = candidates.get(i).priority();
    }
    double[] pi = ppsProbabilities(w, n);
    List<Drawn> out = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      if (random.nextDouble() < pi[i]) {
        out.add(new Drawn(candidates.get(i).id(), pi[i]));
      }
    }
    return out;
  }

  /**
   * Stratified simple random sample without replacement, proportional allocation of {@code n} over
   * the strata (at least one per non-empty stratum while n allows): {@code pi = n_h / N_h}.
   */
  public static List<Drawn> stratified(List<Candidate> candidates, int n, Random random) {
    Map<String, List<Candidate>> strata = new TreeMap<>();
    for (Candidate c : candidates) {
      strata.computeIfAbsent(c.stratum(), k -> new ArrayList<>()).add(c);
    }
    List<Drawn> out = new ArrayList<>();
    int total = candidates.size();
    if (total == 0 || n <= 0) {
      return out;
    }
    for (List<Candidate> stratum : strata.values()) {
      int nh = (int) Math.round((double) n * stratum.size() / total);
      nh = Math.max(Math.min(1, n), Math.min(nh, stratum.size()));
      List<Candidate> copy = new ArrayList<>(stratum);
      Collections.shuffle(copy, random);
      double pi = (double) nh / stratum.size();
      for (int i = 0; i < nh; i++) {
        out.add(new Drawn(copy.get(i).id(), pi));
      }
    }
    return out;
  }

  /** 64-bit SimHash of word 3-shingles: near-duplicate texts differ in few bits. */
  public static long simhash(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String[] words =
        text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip().split(" ");
    int[] v = new int[64];
    int shingles = Math.max(1, words.length - 2);
    for (int i = 0; i < shingles; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = i; j < Math.min(words.length, i + 3); j++) {
        sb.append(words[j]).append(' ');
      }
      long h = Hashing.murmur3_128().hashString(sb, StandardCharsets.UTF_8).asLong();
      for (int b = 0; b < 64; b++) {
        v[b] += ((h >>> b) & 1) == 1 ? 1 : -1;
      }
    }
    long out = 0;
    for (int b = 0; b < 64; b++) {
      if (v[b] > 0) {
        out |= 1L << b;
      }
    }
    return out;
  }

  /** Near-duplicate texts: SimHashes within 3 bits (Manku et al. 2007), both non-empty. */
  public static boolean nearDuplicate(long a, long b) {
    return a != 0 && b != 0 && Long.bitCount(a ^ b) <= 3;
  }
}
