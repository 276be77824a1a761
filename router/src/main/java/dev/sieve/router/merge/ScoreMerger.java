package dev.sieve.router.merge;

import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import java.util.List;

/**
 * The merge rule: how per-tier scores become one score per category. Deterministic (it depends only
 * on the tier answers, never on their arrival order) and documented in {@code docs/policy.md}.
 *
 * <ol>
 *   <li><b>No opinion is not a low score.</b> A category absent from a tier's answer is ignored for
 *       that tier. Scores are clamped to [0, 1]; a NaN score counts as no opinion.
 *   <li><b>Definitive wins.</b> If any tier marks its score {@code definitive} (an exact
 *       known-domain list match), the merged score is the maximum of the definitive scores and
 *       nothing else counts for that category (not even the llm tier).
 *   <li><b>Primary tiers: maximum.</b> Otherwise the merged score is the maximum over the primary
 *       tiers (url, content) that have an opinion. Their scores are calibrated probabilities for
 *       the same event seen through different evidence (the URL, the page); taking the maximum
 *       keeps a strong signal from either from being diluted by the other's ignorance (a URL model
 *       knows little about a page on a new domain), which is the right bias for a K-12 filter.
 *       Averaging or noisy-OR were rejected: the first hides strong single-tier evidence, the
 *       second double counts correlated tiers.
 *   <li><b>Second opinion: average.</b> When the llm tier scores a category it was consulted for
 *       (an uncertain category, an emerging one, or any category when the tier was named in the
 *       request's tiers filter), the merged score becomes the mean of the primary merged score and
 *       the llm score, so the fallback can pull an uncertain case either way without overruling the
 *       primary tiers outright. With no primary opinion the llm score stands alone.
 *   <li><b>No opinion at all.</b> The score is 0. If a tier that was consulted and covers the
 *       category was unavailable on its own account (TIMEOUT, CIRCUIT_OPEN, ERROR, REJECTED), the
 *       category is marked a tier-loss candidate; what that decides is the policy's {@code
 *       on_tier_loss}. A tier cut short by the caller's deadline is not unavailable: it is recorded
 *       separately, for the engine to refuse the request (DEADLINE_EXCEEDED) rather than guess.
 * </ol>
 *
 * <p>Only the arithmetic lives here; when each step runs, what the uncertainty band and the gaps
 * ask of the llm tier, and what a merged score decides, is {@code
 * dev.sieve.router.CategoryDecider}.
 */
public final class ScoreMerger {

  private ScoreMerger() {}

  /**
   * Steps 1-3: merges the primary tiers' answers ({@code outcomes} indexed by tier ordinal; entries
   * that are null or not OK are ignored).
   */
  public static void mergePrimary(MergedScores m, TierOutcome[] outcomes) {
    for (TierName tier : TierName.all()) {
      if (!tier.isPrimary()) {
        continue;
      }
      TierOutcome outcome = outcomes[tier.ordinal()];
      if (outcome == null || outcome.response() == null) {
        continue;
      }
      record(m, tier, outcome.response());
    }
    int n = CoreCategories.count();
    for (int i = 0; i < n; i++) {
      double best = -1;
      double bestDefinitive = -1;
      int all = 0;
      int definitive = 0;
      for (TierName tier : TierName.all()) {
        if (!tier.isPrimary()) {
          continue;
        }
        CategoryScore cs = m.tierScores[tier.ordinal()][i];
        if (cs == null) {
          continue;
        }
        double s = clamp(cs.getScore());
        all |= tier.bit();
        best = Math.max(best, s);
        if (cs.getDefinitive()) {
          definitive |= tier.bit();
          bestDefinitive = Math.max(bestDefinitive, s);
        }
      }
      if (definitive != 0) {
        m.score[i] = bestDefinitive;
        m.definitive[i] = true;
        m.opinion[i] = true;
        m.contributors[i] = definitive;
      } else if (all != 0) {
        m.score[i] = best;
        m.opinion[i] = true;
        m.contributors[i] = all;
      }
    }
  }

  /**
   * Step 4: applies the llm tier's answer.
   *
   * @param requestedCore core categories the tier was consulted for; null = every category it
   *     answered (the tier was named in the request's tiers filter)
   * @param requestedEmerging emerging categories it was consulted for; null = every one it answered
   */
  public static void applySecondOpinion(
      MergedScores m, ScoreResponse llm, boolean[] requestedCore, List<String> requestedEmerging) {
    int bit = TierName.LLM.bit();
    for (CategoryScore cs : llm.getScoresList()) {
      if (Double.isNaN(cs.getScore())) {
        continue;
      }
      int i = CoreCategories.indexOf(cs.getCategory());
      if (i < 0) {
        if (requestedEmerging == null || requestedEmerging.contains(cs.getCategory())) {
          m.putEmerging(cs.getCategory(), cs);
        }
        continue;
      }
      if (requestedCore != null && !requestedCore[i]) {
        continue;
      }
      if (m.tierScores[TierName.LLM.ordinal()][i] != null) {
        continue; // a duplicate entry: the first one counts
      }
      m.tierScores[TierName.LLM.ordinal()][i] = cs;
      double s = clamp(cs.getScore());
      if (cs.getDefinitive()) {
        if (m.definitive[i]) {
          m.score[i] = Math.max(m.score[i], s);
          m.contributors[i] |= bit;
        } else {
          m.score[i] = s;
          m.contributors[i] = bit;
          m.definitive[i] = true;
          m.opinion[i] = true;
        }
      } else if (m.definitive[i]) {
        continue; // definitive wins
      } else if (m.opinion[i]) {
        m.score[i] = (m.score[i] + s) / 2;
        m.contributors[i] |= bit;
      } else {
        m.score[i] = s;
        m.opinion[i] = true;
        m.contributors[i] = bit;
      }
    }
  }

  /**
   * Step 5: marks categories without any opinion for which a consulted tier that covers them was
   * unavailable.
   *
   * @param outcomes outcomes indexed by tier ordinal (null or SKIPPED/NOT_DEPLOYED = not consulted)
   * @param coverage per tier ordinal, which core categories the tier would have covered (null =
   *     none)
   */
  public static void markUnavailable(MergedScores m, TierOutcome[] outcomes, boolean[][] coverage) {
    TierOutcome url = outcomes[TierName.URL.ordinal()];
    m.urlAnswered = url != null && url.response() != null;
    int n = CoreCategories.count();
    for (int i = 0; i < n; i++) {
      if (m.opinion[i]) {
        continue;
      }
      StringBuilder detail = null;
      StringBuilder cut = null;
      for (TierName tier : TierName.all()) {
        TierOutcome outcome = outcomes[tier.ordinal()];
        boolean[] covers = coverage[tier.ordinal()];
        if (outcome == null || covers == null || !covers[i]) {
          continue;
        }
        if (outcome.callerDeadline()) {
          cut = cut == null ? new StringBuilder(16) : cut.append(", ");
          cut.append(tier.wireName());
          continue;
        }
        if (!outcome.unavailable()) {
          continue;
        }
        if (detail == null) {
          detail = new StringBuilder(32);
        } else {
          detail.append(", ");
        }
        detail.append(tier.wireName()).append(' ').append(ShortNames.tierState(outcome.state()));
      }
      if (detail != null) {
        m.unavailable[i] = true;
        m.unavailableDetail[i] = detail.toString();
      }
      m.callerCutDetail[i] = cut == null ? null : cut.toString();
    }
  }

  private static void record(MergedScores m, TierName tier, ScoreResponse response) {
    CategoryScore[] row = m.tierScores[tier.ordinal()];
    for (CategoryScore cs : response.getScoresList()) {
      int i = CoreCategories.indexOf(cs.getCategory());
      if (i < 0 || row[i] != null || Double.isNaN(cs.getScore())) {
        continue;
      }
      row[i] = cs;
    }
  }

  static double clamp(double score) {
    return score < 0 ? 0 : (score > 1 ? 1 : score);
  }
}
