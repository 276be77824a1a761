package dev.sieve.router;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
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
import dev.sieve.router.tier.FleetCoverage;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.grpc.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How one request's categories are decided, step by step, in the order the router takes the steps.
 * The {@link ClassificationEngine} does the asynchronous part (which tier to call, when, the cache,
 * the metrics); everything it decides about a category it asks of this class, one instance per
 * request.
 *
 * <ol>
 *   <li><b>Merge</b> the primary tiers' answers ({@link #mergePrimaryTiers}; the merge rule itself
 *       is {@link ScoreMerger}'s). First, because every later step reads the merged score.
 *   <li><b>Second-opinion question</b> ({@link #secondOpinionQuestion}): the core categories whose
 *       merged score lies in the tenant's <b>uncertainty band</b>, the emerging categories the
 *       policy wants, and, when the llm tier is consulted for those anyway and the request has a
 *       page, the coverage <b>gaps</b> (core categories no primary tier had an opinion on that the
 *       llm tier covers). After the merge, because only merged scores can be uncertain; before any
 *       decision, because the answer changes the scores. Nothing to ask: the llm tier is skipped,
 *       never called for clear cases.
 *   <li><b>Second opinion</b> ({@link #applySecondOpinion}): the llm tier's answer is merged, but
 *       only for what it was asked (or everything, when the request named it in its tiers filter).
 *   <li><b>Tier loss</b> ({@link #markTierLoss}): categories left without any opinion whose
 *       covering tier was unavailable, or cut short by the caller's deadline. Last of the score
 *       steps, because only a category that still has no opinion after the second opinion is one.
 *   <li><b>Refuse rather than guess</b> ({@link #callerDeadlineRefusal}): when the caller's
 *       deadline cut a tier short and no tier answered, or a category it covers would be blocked on
 *       tier loss, there is no honest verdict. Before the verdict, so none is built.
 *   <li><b>Verdict</b> ({@link #verdict}): per core category, then per emerging category, the
 *       <b>decision</b> (score at threshold, or on_tier_loss without evidence), its <b>action</b>
 *       (block unless it yields to a decided help category), the <b>alert</b> (only from evidence)
 *       and whether it is the <b>primary</b> category; then the tenant's domain override, which
 *       sets the action outright but not the alert; then the tier statuses, the degraded reasons
 *       and the TTL, which depend on everything before.
 * </ol>
 *
 * <p>Rules of the verdict (also in {@code docs/policy.md}):
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
 *   <li>Tier statuses report the model each outcome carries ({@link TierOutcome#model()}), and
 *       coverage comes from the request's one {@link FleetCoverage} snapshot: one verdict describes
 *       one fleet, even when a Describe refresh lands mid-request.
 * </ul>
 *
 * <p>Not thread-safe: one request owns it, and the engine calls its steps one after another.
 */
final class CategoryDecider {

  /** Evidence items copied per contributing tier and category (responses stay small). */
  static final int EVIDENCE_PER_TIER = 3;

  /** Tier-name lists per contributor mask, built once. */
  private static final List<List<String>> TIER_LISTS = buildTierLists();

  private final ValidatedRequest request;
  private final Policy policy;
  private final TenantPolicy tenant;
  private final FleetCoverage coverage;
  private final MergedScores merged = new MergedScores();

  /** True when the request named the llm tier in its tiers filter: it answers for everything. */
  private boolean llmForced;

  /** Core categories the llm tier was asked for (not forced); null while it was not asked. */
  private boolean[] llmCore;

  /** Emerging categories asked for (forced: every one the llm tier serves). */
  private List<String> llmEmerging = List.of();

  // The verdict being built (step 6).
  private boolean block;
  private boolean alert;
  private String primary = "";
  private double primaryScore = -1;
  private boolean primaryBlocks;
  private List<Reason> policyReasons;

  /**
   * @param coverage the request's one snapshot of what each tier serves
   */
  CategoryDecider(
      ValidatedRequest request, Policy policy, TenantPolicy tenant, FleetCoverage coverage) {
    this.request = request;
    this.policy = policy;
    this.tenant = tenant;
    this.coverage = coverage;
  }

  /** The scores merged so far (for metrics and logs). */
  MergedScores merged() {
    return merged;
  }

  // ---- step 1: merge ----

  /** Merges the url and content tiers' answers ({@code outcomes} indexed by tier ordinal). */
  void mergePrimaryTiers(TierOutcome[] outcomes) {
    ScoreMerger.mergePrimary(merged, outcomes);
  }

  // ---- step 2: the second-opinion question (band, emerging, gaps) ----

  /**
   * The request named the llm tier in its tiers filter: it is asked for everything at once, beside
   * the primary tiers, and every emerging category it serves is listed in the verdict.
   */
  void llmNamedInTiersFilter() {
    llmForced = true;
    llmEmerging = coverage.emerging(TierName.LLM);
  }

  /**
   * The categories to ask the llm tier for, after the primary merge: the uncertain core categories,
   * then (pages only, when the policy lets the llm fill gaps) the gaps, then the emerging
   * categories. Empty when nothing is uncertain and no emerging category is wanted: then the llm
   * tier is not called at all (gaps alone never call it).
   */
  List<String> secondOpinionQuestion() {
    List<String> uncertain = uncertain(merged, tenant);
    List<String> emerging =
        tenant.consultLlmForEmerging() ? coverage.emerging(TierName.LLM) : List.<String>of();
    if (uncertain.isEmpty() && emerging.isEmpty()) {
      return List.of();
    }
    llmCore = new boolean[CoreCategories.count()];
    List<String> categories = new ArrayList<>(uncertain);
    if (request.hasBody() && tenant.llmFillsGaps()) {
      // Pages only: on a bare URL the llm's zero-shot guess at a core category is near random
      // (measured in its training report), so a gap there stays "no opinion". A policy whose
      // llm tier is advisory (defaults.llm_fills_gaps: false) keeps every gap "no opinion".
      categories.addAll(gaps(merged, coverage.core(TierName.LLM)));
    }
    for (String id : categories) {
      llmCore[CoreCategories.indexOf(id)] = true;
    }
    llmEmerging = emerging;
    categories.addAll(emerging);
    return categories;
  }

  /**
   * Core categories whose primary merged score lies in the tenant's uncertainty band (never a
   * definitive score, never a category without an opinion: "no opinion" is not "uncertain").
   */
  static List<String> uncertain(MergedScores m, TenantPolicy policy) {
    List<String> ids = null;
    int n = CoreCategories.count();
    for (int i = 0; i < n; i++) {
      if (m.hasOpinion(i) && !m.definitive(i) && policy.core(i).inBand(m.score(i))) {
        if (ids == null) {
          ids = new ArrayList<>(4);
        }
        ids.add(CoreCategories.id(i));
      }
    }
    return ids == null ? List.of() : ids;
  }

  /**
   * Core categories no primary tier had an opinion on but the llm tier covers ("gaps": e.g. weapons
   * on a text, which the content model has too little data to serve). They are asked of the llm
   * tier only when it is consulted anyway (uncertain or emerging categories), so filling them costs
   * no extra call; the llm's answer then stands alone, as it does for an emerging category.
   *
   * @param llmCoverage the llm tier's core coverage (from Describe), indexed by taxonomy position
   */
  static List<String> gaps(MergedScores m, boolean[] llmCoverage) {
    List<String> ids = new ArrayList<>(4);
    int n = CoreCategories.count();
    for (int i = 0; i < n; i++) {
      if (!m.hasOpinion(i) && llmCoverage != null && llmCoverage[i]) {
        ids.add(CoreCategories.id(i));
      }
    }
    return ids;
  }

  // ---- step 3: the second opinion ----

  /**
   * Merges the llm tier's answer, if it gave one, for what it was asked (everything when forced).
   */
  void applySecondOpinion(TierOutcome llm) {
    if (llm.response() != null) {
      ScoreMerger.applySecondOpinion(
          merged, llm.response(), llmForced ? null : llmCore, llmForced ? null : llmEmerging);
    }
  }

  // ---- step 4: tier loss ----

  /**
   * Marks the categories still without any opinion whose covering, consulted tier was unavailable
   * (or cut short by the caller's deadline). The llm tier covers only what it was asked, unless
   * forced.
   */
  void markTierLoss(TierOutcome[] outcomes) {
    boolean[][] covering = new boolean[TierName.values().length][];
    for (TierName tier : TierName.all()) {
      covering[tier.ordinal()] =
          tier == TierName.LLM && !llmForced && coverage.deployed(tier)
              ? llmCore
              : coverage.core(tier);
    }
    ScoreMerger.markUnavailable(merged, outcomes, covering);
  }

  /**
   * Whether the category is decided positive: score at threshold; or, without any opinion because a
   * covering tier was unavailable, by the policy's {@code on_tier_loss} (block: yes; allow: no;
   * url_only: yes only when the url tier did not answer the request).
   */
  static boolean decided(MergedScores m, int index, CategoryRule rule) {
    if (m.hasOpinion(index)) {
      return m.score(index) >= rule.threshold();
    }
    return m.coveringTierUnavailable(index) && blocksOnTierLoss(m, rule);
  }

  /**
   * For a category without opinion whose covering tier was unavailable: does on_tier_loss block it?
   */
  static boolean blocksOnTierLoss(MergedScores m, CategoryRule rule) {
    return switch (rule.onTierLoss()) {
      case BLOCK -> true;
      case ALLOW -> false;
      case URL_ONLY -> !m.urlAnswered();
    };
  }

  /**
   * The categories blocked without evidence (by on_tier_loss), as "adult (block)", and which tiers
   * were unavailable for the last of them ("content ERROR"); null when none: the engine logs them,
   * rate-limited.
   */
  FailClosed failClosed() {
    List<String> blocked = null;
    String detail = null;
    for (int i = 0; i < CoreCategories.count(); i++) {
      if (!merged.hasOpinion(i)
          && merged.coveringTierUnavailable(i)
          && decided(merged, i, tenant.core(i))) {
        blocked = blocked == null ? new ArrayList<>(2) : blocked;
        blocked.add(CoreCategories.id(i) + " (" + tenant.core(i).onTierLoss().wireName() + ")");
        detail = merged.unavailableDetail(i);
      }
    }
    return blocked == null ? null : new FailClosed(blocked, detail);
  }

  /**
   * Categories blocked without evidence and the unavailable tiers behind them (for the log line).
   */
  record FailClosed(List<String> categories, String detail) {}

  // ---- step 5: refuse rather than guess ----

  /**
   * Why the request must fail with DEADLINE_EXCEEDED rather than be answered, or null: the caller's
   * deadline cut a tier short and either no tier answered at all, or a category without any opinion
   * that the cut tier covers would be blocked under on_tier_loss (guessing it would turn the
   * caller's deadline into a fail-closed verdict).
   *
   * @param deadline the caller's deadline, or null
   */
  String callerDeadlineRefusal(TierOutcome[] outcomes, Deadline deadline) {
    List<String> cut = null;
    boolean anyAnswer = false;
    for (TierOutcome outcome : outcomes) {
      if (outcome.callerDeadline()) {
        cut = cut == null ? new ArrayList<>(3) : cut;
        cut.add(outcome.tier().wireName());
      }
      anyAnswer |= outcome.response() != null;
    }
    if (cut == null) {
      return null;
    }
    String budget = deadline == null ? "" : " (" + describe(deadline) + ")";
    if (!anyAnswer) {
      return "caller deadline too short"
          + budget
          + " to consult the "
          + String.join(", ", cut)
          + " tier; no verdict without a tier's answer";
    }
    List<String> undecidable = null;
    for (int i = 0; i < CoreCategories.count(); i++) {
      if (merged.callerCutDetail(i) != null && blocksOnTierLoss(merged, tenant.core(i))) {
        undecidable = undecidable == null ? new ArrayList<>(2) : undecidable;
        undecidable.add(CoreCategories.id(i));
      }
    }
    if (undecidable == null) {
      return null; // a partial answer: nothing the cut tier covers would have changed a decision
    }
    return "caller deadline too short"
        + budget
        + " for the "
        + String.join(", ", cut)
        + " tier, which "
        + String.join(", ", undecidable)
        + (undecidable.size() == 1 ? " depends on" : " depend on");
  }

  private static String describe(Deadline deadline) {
    long left = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    return left <= 0 ? "expired" : left + " ms left";
  }

  // ---- step 6: the verdict ----

  /**
   * The response: every core category, then every emerging one, decided in turn; the domain
   * override; the tiers' statuses; degraded reasons and TTL.
   *
   * @param outcomes every tier's outcome, indexed by tier ordinal
   */
  ClassifyResponse verdict(String requestId, boolean defaultPolicyApplied, TierOutcome[] outcomes) {
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setRequestId(requestId)
            .setPolicyId(policy.id())
            .setPolicyVersion(policy.version())
            .setEffectiveTenant(tenant.tenantId())
            .setDefaultPolicyApplied(defaultPolicyApplied)
            .setNormalizedUrl(request.canonicalUrl());
    for (int i = 0; i < CoreCategories.count(); i++) {
      decideCoreCategory(response, i);
    }
    for (String id : emergingIds()) {
      decideEmergingCategory(response, id);
    }
    applyDomainOverride();
    if (policyReasons != null) {
      response.addAllReasons(policyReasons);
    }
    boolean tierLoss = false;
    boolean callerCut = false;
    for (TierName tier : TierName.all()) {
      TierOutcome outcome = outcomes[tier.ordinal()];
      tierLoss |= outcome.unavailable();
      callerCut |= outcome.callerDeadline();
      response.addTiers(tierStatus(outcome));
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
    return response
        .setAction(block ? Action.ACTION_BLOCK : Action.ACTION_ALLOW)
        .setAlert(alert)
        .setPrimaryCategory(primary)
        .setTtlSeconds(ttlSeconds(tierLoss, callerCut))
        .setDegraded(tierLoss || callerCut)
        .build();
  }

  /** One core category: its verdict line, then decision, action, alert, primary and reasons. */
  private void decideCoreCategory(ClassifyResponse.Builder response, int i) {
    CategoryRule rule = tenant.core(i);
    String id = CoreCategories.id(i);
    boolean decided = decided(merged, i, rule);
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
            .setZeroShot(zeroShotOnly(i, contributors)));
    boolean evidence = merged.hasOpinion(i);
    if (!decided) {
      if (!evidence
          && merged.coveringTierUnavailable(i)
          && rule.onTierLoss() == TierLossMode.URL_ONLY) {
        addPolicyReason(
            id,
            "url-only: "
                + merged.unavailableDetail(i)
                + "; the url tier answered without evidence for it: not decided");
      }
      return;
    }
    // Without evidence, only on_tier_loss decided it: it blocks (that is the mode's meaning).
    boolean blocks = evidence ? rule.blocks(tenant.blockOnAlert()) : true;
    int yieldedTo = blocks ? yieldedTo(rule, score) : -1;
    if (yieldedTo >= 0) {
      blocks = false;
      addPolicyReason(
          id,
          "yields to "
              + CoreCategories.id(yieldedTo)
              + ": help is not blocked ("
              + CoreCategories.id(yieldedTo)
              + " decided with score "
              + String.format(Locale.ROOT, "%.3f", merged.score(yieldedTo))
              + ")");
    }
    block |= blocks;
    // An alert must mean evidence: a decision made without any model score never raises it.
    alert |= evidence && rule.alert();
    considerForPrimary(id, blocks, score);
    if (evidence) {
      for (TierName tier : TierName.all()) {
        if (tier.in(contributors)) {
          addEvidence(response, id, tier, merged.tierScore(tier, i));
        }
      }
    } else {
      addPolicyReason(
          id,
          rule.onTierLoss() == TierLossMode.URL_ONLY
              ? "url-only: " + merged.unavailableDetail(i) + "; no url-tier answer: blocked"
              : "fail-closed: " + merged.unavailableDetail(i));
    }
  }

  /** One emerging category: only the llm tier scores it, so it is decided on its score alone. */
  private void decideEmergingCategory(ClassifyResponse.Builder response, String id) {
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
      return;
    }
    boolean blocks = rule.blocks(tenant.blockOnAlert());
    block |= blocks;
    alert |= rule.alert();
    considerForPrimary(id, blocks, score);
    addEvidence(response, id, TierName.LLM, cs);
  }

  /** Emerging categories listed in the response: those asked for, then any other the llm scored. */
  private List<String> emergingIds() {
    if (merged.emerging().isEmpty()) {
      return llmEmerging;
    }
    List<String> ids = new ArrayList<>(llmEmerging);
    for (String id : merged.emerging().keySet()) {
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * The help category a positive decision yields to (docs/policy.md, {@code yields_to}): one the
   * rule names that is itself decided with a merged score at least {@code score}; -1 when none.
   * Only a category with a model opinion counts (a fail-closed decision is no evidence of help).
   */
  private int yieldedTo(CategoryRule rule, double score) {
    for (int j : rule.yieldsTo()) {
      if (merged.hasOpinion(j) && merged.score(j) >= score && decided(merged, j, tenant.core(j))) {
        return j;
      }
    }
    return -1;
  }

  /** A blocking category beats any that does not block; among equals, the higher score wins. */
  private void considerForPrimary(String id, boolean blocks, double score) {
    boolean better = blocks != primaryBlocks ? blocks : score > primaryScore;
    if (better) {
      primary = id;
      primaryScore = score;
      primaryBlocks = blocks;
    }
  }

  /** The nearest allow/deny domain override sets the action outright (never the alert). */
  private void applyDomainOverride() {
    OverrideMatch override = tenant.overrides().match(request.url());
    if (override != null) {
      block = !override.allow();
      addPolicyReason("", override.describe());
    }
  }

  /**
   * A partial answer 0 s; degraded by tier loss the policy's short TTL; else positive or negative.
   */
  private int ttlSeconds(boolean tierLoss, boolean callerCut) {
    if (callerCut) {
      return 0;
    }
    if (tierLoss) {
      return tenant.ttls().degradedSeconds();
    }
    return block || alert ? tenant.ttls().positiveSeconds() : tenant.ttls().negativeSeconds();
  }

  private boolean zeroShotOnly(int index, int contributors) {
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

  /** A reason of the policy's own (fail-closed, yields_to, override): listed after the evidence. */
  private void addPolicyReason(String category, String detail) {
    if (policyReasons == null) {
      policyReasons = new ArrayList<>(2);
    }
    policyReasons.add(
        Reason.newBuilder()
            .setCategory(category)
            .setTier("policy")
            .setEvidence(
                Evidence.newBuilder()
                    .setKind(Evidence.Kind.KIND_RULE)
                    .setCategory(category)
                    .setDetail(detail)
                    .setSource("policy " + policy.id() + "@" + policy.version()))
            .build());
  }

  private static TierStatus tierStatus(TierOutcome outcome) {
    return TierStatus.newBuilder()
        .setTier(outcome.tier().wireName())
        .setState(outcome.state())
        .setLatencyMicros(outcome.latencyMicros())
        .setModel(outcome.model())
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
