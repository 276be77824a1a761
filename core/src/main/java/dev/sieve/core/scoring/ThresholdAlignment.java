package dev.sieve.core.scoring;

/**
 * Maps a tier's calibrated probability onto the fleet's common score scale, on which the tier's
 * release threshold sits at 0.5.
 *
 * <p>Why: each model chooses its decision threshold per category on the dev split (a recall floor
 * for self_harm, a cap on how many ordinary sites it may flag for adult) and its model card reports
 * precision and recall at that threshold. The router merges tiers by taking the maximum score and
 * decides at the policy threshold (0.5 unless a tenant moves it). Without a common scale the router
 * would decide at 0.5 on a probability whose validated operating point is, say, 0.92 — and block
 * far more ordinary sites than the card promises. The map is piecewise linear and monotone, so
 * rankings, AUPRC and the card's decisions are unchanged: {@code p >= t} exactly when {@code
 * align(p, t) >= 0.5}. A tenant that raises its threshold above 0.5 becomes stricter than the
 * card's operating point, and one that lowers it, more permissive.
 */
public final class ThresholdAlignment {

  /** Where every tier's release threshold lands on the common scale. */
  public static final double ALIGNED_THRESHOLD = 0.5;

  private ThresholdAlignment() {}

  /**
   * @param probability calibrated probability in [0, 1]
   * @param threshold the model's release threshold for the category, in (0, 1)
   * @return the score on the common scale, in [0, 1]
   */
  public static double align(double probability, double threshold) {
    double p = Math.min(1.0, Math.max(0.0, probability));
    if (!(threshold > 0.0 && threshold < 1.0)) {
      return p; // no usable threshold: leave the probability as it is
    }
    if (p < threshold) {
      return ALIGNED_THRESHOLD * p / threshold;
    }
    return ALIGNED_THRESHOLD + (1.0 - ALIGNED_THRESHOLD) * (p - threshold) / (1.0 - threshold);
  }
}
