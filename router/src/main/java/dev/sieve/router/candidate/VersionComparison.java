package dev.sieve.router.candidate;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.router.policy.CategoryRule;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.policy.TenantPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving and the candidate version's answers to the same request, compared per category at the
 * tenant's thresholds: a decision flip is a category one version decides and the other does not;
 * the score delta is candidate minus serving. A category only one version has an opinion on is
 * listed in {@link #opinionOnly()}, not counted as a flip: "no opinion" is not a low score.
 *
 * <p>Pure (no I/O, no metrics) so that the rule is tested on its own.
 *
 * @param serving scores of the serving version, by category, in its answer's order
 * @param candidate scores of the candidate version
 * @param thresholds the tenant's threshold for every category either version scored
 * @param flips categories decided by exactly one version
 * @param opinionOnly categories scored by exactly one version
 * @param maxAbsDelta the largest |candidate - serving| over the categories both scored (0 if none)
 */
public record VersionComparison(
    Map<String, Double> serving,
    Map<String, Double> candidate,
    Map<String, Double> thresholds,
    List<String> flips,
    List<String> opinionOnly,
    double maxAbsDelta) {

  /** Compares two answers for {@code tenant}. */
  public static VersionComparison of(
      ScoreResponse serving, ScoreResponse candidate, TenantPolicy tenant) {
    Map<String, Double> s = scores(serving);
    Map<String, Double> c = scores(candidate);
    Map<String, Double> thresholds = new LinkedHashMap<>();
    List<String> flips = new ArrayList<>();
    List<String> opinionOnly = new ArrayList<>();
    double maxDelta = 0;
    for (String id : union(s, c)) {
      double threshold = threshold(tenant, id);
      thresholds.put(id, threshold);
      Double a = s.get(id);
      Double b = c.get(id);
      if (a == null || b == null) {
        opinionOnly.add(id);
        continue;
      }
      maxDelta = Math.max(maxDelta, Math.abs(b - a));
      if ((a >= threshold) != (b >= threshold)) {
        flips.add(id);
      }
    }
    return new VersionComparison(
        s, c, thresholds, List.copyOf(flips), List.copyOf(opinionOnly), maxDelta);
  }

  /** True when the serving version decides {@code id} at the tenant's threshold. */
  public boolean servingDecides(String id) {
    Double score = serving.get(id);
    return score != null && score >= thresholds.get(id);
  }

  /** True when the candidate decides {@code id}. */
  public boolean candidateDecides(String id) {
    Double score = candidate.get(id);
    return score != null && score >= thresholds.get(id);
  }

  /** The score delta (candidate - serving) of {@code id}, or NaN unless both scored it. */
  public double delta(String id) {
    Double a = serving.get(id);
    Double b = candidate.get(id);
    return a == null || b == null ? Double.NaN : b - a;
  }

  /** The categories both versions scored. */
  public List<String> common() {
    List<String> ids = new ArrayList<>();
    for (String id : serving.keySet()) {
      if (candidate.containsKey(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static double threshold(TenantPolicy tenant, String id) {
    int index = CoreCategories.indexOf(id);
    CategoryRule rule = index >= 0 ? tenant.core(index) : tenant.emerging(id);
    return rule == null ? 0.5 : rule.threshold();
  }

  private static Map<String, Double> scores(ScoreResponse response) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (CategoryScore score : response.getScoresList()) {
      double value = score.getScore();
      scores.put(score.getCategory(), value < 0 ? 0 : (value > 1 ? 1 : value));
    }
    return scores;
  }

  private static List<String> union(Map<String, Double> a, Map<String, Double> b) {
    List<String> ids = new ArrayList<>(a.keySet());
    for (String id : b.keySet()) {
      if (!a.containsKey(id)) {
        ids.add(id);
      }
    }
    return ids;
  }
}
