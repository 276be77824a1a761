package dev.sieve.router;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.merge.MergedScores;
import dev.sieve.router.merge.ScoreMerger;
import dev.sieve.router.policy.CategoryRule;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.policy.OverrideMatch;
import dev.sieve.router.policy.Policy;
import dev.sieve.router.policy.TenantPolicy;
import dev.sieve.router.policy.TierLossMode;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link ClassifyResponse} from merged scores and the tenant's policy: decisions, the
 * action, the alert, the primary category, the reasons and the lineage.
 *
 * <p>Rules (also in {@code docs/policy.md}):
 *
 * <ul>
 *   <li>A category is decided positive when its merged score reaches the tenant's threshold, or,
 *       without any tier opinion, when a consulted tier covering it was unavailable and the
 *       category's {@code on_tier_loss} blocks it (block; url_only without a url-tier answer). Such
 *       a decision blocks the request, whatever the category's action, and never raises the alert:
 *       fail-closed blocks, it does not accuse (#12 item 2).
 *   <li>Action BLOCK when any decided category's action is BLOCK, or ALERT while the policy's
 *       {@code block_on_alert} is true, unless the category yields to a help category decided with
 *       a score at least as high ({@code yields_to}: help is never blocked); then the nearest
 *       allow/deny domain override, if any, sets the action outright. The alert is raised by any
 *       category decided from a model score whose rule alerts (ALERT, or {@code alert: true}),
 *       override or not: an allow-listed help site still tells the counsellor.
 *   <li>Degraded: {@code degraded} with TIER_UNAVAILABLE when a consulted tier was unavailable on
 *       its own account, CALLER_DEADLINE when the caller's deadline cut a tier short (a partial
 *       answer).
 *   <li>Primary category: the decided blocking category with the highest score (ties: taxonomy
 *       order); when none blocks, the highest decided category; "" when nothing is decided.
 *   <li>Reasons: for each decided category, the evidence of each contributing tier (at most {@value
 *       #EVIDENCE_PER_TIER} items per tier, the tier's strongest first: a url-tier list match
 *       carries the matched entry and list), then the policy's own reasons (fail-closed,
 *       overrides).
 *   <li>TTL: a partial answer (CALLER_DEADLINE) 0; degraded by tier loss the policy's short
 *       degraded TTL (for the caller; the router itself never caches a degraded verdict), otherwise
 *       positive (BLOCK or alert) or negative.
 * </ul>
 */
final class VerdictAssembler {

  /** Evidence items copied per contributing tier and category (responses stay small). */
  static final int EVIDENCE_PER_TIER = 3;

  /** Tier-name lists per contributor mask, built once. */
  private static final List<List<String>> TIER_LISTS = buildTierLists();

  private VerdictAssembler() {}

  static ClassifyResponse assemble(
      ValidatedRequest request,
      String requestId,
      Policy policy,
      TenantPolicy tenant,
      boolean defaultPolicyApplied,
      TierOutcome[] outcomes,
      MergedScores merged,
      List<String> emergingIds,
      TierFleet fleet) {
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setRequestId(requestId)
            .setPolicyId(policy.id())
            .setPolicyVersion(policy.version())
            .setEffectiveTenant(tenant.tenantId())
            .setDefaultPolicyApplied(defaultPolicyApplied)
            .setNormalizedUrl(request.canonicalUrl());
    boolean blockOnAlert = tenant.blockOnAlert();
    boolean block = false;
    boolean alert = false;
    String primary = "";
    double primaryScore = -1;
    boolean primaryBlocks = false;
    List<Reason> policyReasons = null;

    int n = CoreCategories.count();
    for (int i = 0; i < n; i++) {
      CategoryRule rule = tenant.core(i);
      String id = CoreCategories.id(i);
      boolean decided = ScoreMerger.decided(merged, i, rule);
      int contributors = merged.contributors(i);
      double score = merged.score(i);
      response.addCategories(
          CategoryVerdict.newBuilder()
              .setCategory(id)
              .setScore(score)
              .setThreshold(rule.threshold())
              .setDecision(decided)
              .setAction(rule.action())
              .setAlert(rule.alert())
              .addAllTiers(TIER_LISTS.get(contributors))
              .setZeroShot(zeroShotOnly(merged, i, contributors)));
      boolean evidence = merged.hasOpinion(i);
      if (!decided) {
        if (!evidence
            && merged.coveringTierUnavailable(i)
            && rule.onTierLoss() == TierLossMode.URL_ONLY) {
          policyReasons =
              add(
                  policyReasons,
                  policyReason(
                      id,
                      "url-only: "
                          + merged.unavailableDetail(i)
                          + "; the url tier answered without evidence for it: not decided",
                      policy));
        }
        continue;
      }
      // Without evidence, only on_tier_loss decided it: it blocks (that is the mode's meaning).
      boolean blocks = evidence ? rule.blocks(blockOnAlert) : true;
      int yieldedTo = blocks ? yieldedTo(merged, tenant, rule, score) : -1;
      if (yieldedTo >= 0) {
        blocks = false;
        if (policyReasons == null) {
          policyReasons = new ArrayList<>(2);
        }
        policyReasons.add(
            policyReason(
                id,
                "yields to "
                    + CoreCategories.id(yieldedTo)
                    + ": help is not blocked ("
                    + CoreCategories.id(yieldedTo)
                    + " decided with score "
                    + String.format(java.util.Locale.ROOT, "%.3f", merged.score(yieldedTo))
                    + ")",
                policy));
      }
      block |= blocks;
      // An alert must mean evidence: a decision made without any model score never raises it.
      alert |= evidence && rule.alert();
      if (isBetterPrimary(blocks, score, primaryBlocks, primaryScore)) {
        primary = id;
        primaryScore = score;
        primaryBlocks = blocks;
      }
      if (evidence) {
        for (TierName tier : TierName.all()) {
          if (tier.in(contributors)) {
            addEvidence(response, id, tier, merged.tierScore(tier, i));
          }
        }
      } else {
        if (policyReasons == null) {
          policyReasons = new ArrayList<>(2);
        }
        policyReasons.add(
            policyReason(
                id,
                rule.onTierLoss() == TierLossMode.URL_ONLY
                    ? "url-only: " + merged.unavailableDetail(i) + "; no url-tier answer: blocked"
                    : "fail-closed: " + merged.unavailableDetail(i),
                policy));
      }
    }

    for (String id : emergingIds) {
      CategoryRule rule = tenant.emerging(id);
      CategoryScore cs = merged.emerging().get(id);
      double score = cs == null ? 0 : clamp(cs.getScore());
      boolean decided = cs != null && score >= rule.threshold();
      response.addCategories(
          CategoryVerdict.newBuilder()
              .setCategory(id)
              .setScore(score)
              .setThreshold(rule.threshold())
              .setDecision(decided)
              .setAction(rule.action())
              .addAllTiers(TIER_LISTS.get(cs == null ? 0 : TierName.LLM.bit()))
              .setZeroShot(true));
      if (!decided) {
        continue;
      }
      boolean blocks = rule.blocks(blockOnAlert);
      block |= blocks;
      alert |= rule.alert();
      if (isBetterPrimary(blocks, score, primaryBlocks, primaryScore)) {
        primary = id;
        primaryScore = score;
        primaryBlocks = blocks;
      }
      addEvidence(response, id, TierName.LLM, cs);
    }

    OverrideMatch override = tenant.overrides().match(request.url());
    if (override != null) {
      block = !override.allow();
      if (policyReasons == null) {
        policyReasons = new ArrayList<>(1);
      }
      policyReasons.add(policyReason("", override.describe(), policy));
    }
    if (policyReasons != null) {
      response.addAllReasons(policyReasons);
    }

    boolean tierLoss = false;
    boolean callerCut = false;
    for (TierName tier : TierName.all()) {
      TierOutcome outcome = outcomes[tier.ordinal()];
      tierLoss |= outcome.unavailable();
      callerCut |= outcome.callerDeadline();
      response.addTiers(tierStatus(outcome, fleet.client(tier)));
      if (outcome.state() == TierState.TIER_STATE_OK) {
        String dataset = outcome.response().getModel().getDatasetVersion();
        if (!dataset.isEmpty() && !response.getDatasetVersionsList().contains(dataset)) {
          response.addDatasetVersions(dataset);
        }
      }
    }
    if (tierLoss) {
      response.addDegradedReasons(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
    }
    if (callerCut) {
      response.addDegradedReasons(DegradedReason.DEGRADED_REASON_CALLER_DEADLINE);
    }
    int ttl =
        callerCut
            ? 0
            : tierLoss
                ? tenant.ttls().degradedSeconds()
                : (block || alert
                    ? tenant.ttls().positiveSeconds()
                    : tenant.ttls().negativeSeconds());
    return response
        .setAction(block ? Action.ACTION_BLOCK : Action.ACTION_ALLOW)
        .setAlert(alert)
        .setPrimaryCategory(primary)
        .setTtlSeconds(ttl)
        .setDegraded(tierLoss || callerCut)
        .build();
  }

  /**
   * The help category a positive decision yields to (docs/policy.md, {@code yields_to}): one the
   * rule names that is itself decided with a merged score at least {@code score}; -1 when none.
   * Only a category with a model opinion counts (a fail-closed decision is no evidence of help).
   */
  private static int yieldedTo(
      MergedScores merged, TenantPolicy tenant, CategoryRule rule, double score) {
    for (int j : rule.yieldsTo()) {
      if (merged.hasOpinion(j)
          && merged.score(j) >= score
          && ScoreMerger.decided(merged, j, tenant.core(j))) {
        return j;
      }
    }
    return -1;
  }

  private static boolean isBetterPrimary(
      boolean blocks, double score, boolean primaryBlocks, double primaryScore) {
    if (blocks != primaryBlocks) {
      return blocks;
    }
    return score > primaryScore;
  }

  private static boolean zeroShotOnly(MergedScores merged, int index, int contributors) {
    if (contributors == 0) {
      return false;
    }
    for (TierName tier : TierName.all()) {
      if (tier.in(contributors)) {
        CategoryScore cs = merged.tierScore(tier, index);
        if (cs == null || !cs.getZeroShot()) {
          return false;
        }
      }
    }
    return true;
  }

  private static void addEvidence(
      ClassifyResponse.Builder response, String category, TierName tier, CategoryScore score) {
    if (score == null) {
      return;
    }
    int count = Math.min(EVIDENCE_PER_TIER, score.getEvidenceCount());
    if (count == 0) {
      response.addReasons(Reason.newBuilder().setCategory(category).setTier(tier.wireName()));
      return;
    }
    for (int e = 0; e < count; e++) {
      response.addReasons(
          Reason.newBuilder()
              .setCategory(category)
              .setTier(tier.wireName())
              .setEvidence(score.getEvidence(e)));
    }
  }

  private static List<Reason> add(List<Reason> reasons, Reason reason) {
    List<Reason> out = reasons == null ? new ArrayList<>(2) : reasons;
    out.add(reason);
    return out;
  }

  private static Reason policyReason(String category, String detail, Policy policy) {
    return Reason.newBuilder()
        .setCategory(category)
        .setTier("policy")
        .setEvidence(
            Evidence.newBuilder()
                .setKind(Evidence.Kind.KIND_RULE)
                .setCategory(category)
                .setDetail(detail)
                .setSource("policy " + policy.id() + "@" + policy.version()))
        .build();
  }

  private static TierStatus tierStatus(TierOutcome outcome, TierClient client) {
    ModelInfo model =
        outcome.response() != null
            ? outcome.response().getModel()
            : (client == null ? ModelInfo.getDefaultInstance() : client.coverage().model());
    return TierStatus.newBuilder()
        .setTier(outcome.tier().wireName())
        .setState(outcome.state())
        .setLatencyMicros(outcome.latencyMicros())
        .setModel(model)
        .setDetail(outcome.detail())
        .build();
  }

  private static double clamp(double score) {
    return score < 0 ? 0 : (score > 1 ? 1 : score);
  }

  private static List<List<String>> buildTierLists() {
    int combos = 1 << TierName.values().length;
    List<List<String>> lists = new ArrayList<>(combos);
    for (int mask = 0; mask < combos; mask++) {
      List<String> names = new ArrayList<>(3);
      for (TierName tier : TierName.all()) {
        if (tier.in(mask)) {
          names.add(tier.wireName());
        }
      }
      lists.add(List.copyOf(names));
    }
    return List.copyOf(lists);
  }
}
