package dev.sieve.router;

import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.auth.AuthenticatedTenant;
import dev.sieve.router.cache.VerdictCache;
import dev.sieve.router.cache.VerdictKey;
import dev.sieve.router.candidate.CandidateRouting;
import dev.sieve.router.logging.RateLimitedLog;
import dev.sieve.router.policy.Policy;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.policy.TenantPolicy;
import dev.sieve.router.tier.FleetCoverage;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies one request: validate, resolve the tenant's policy, consult the verdict cache, fan out
 * to the tiers in parallel, consult the llm tier only for what is still uncertain, merge, decide,
 * cache.
 *
 * <p>Routing (normal requests): the url tier whenever there is a URL, the content tier whenever
 * there is a body, both in parallel; then the llm tier only when a core category's merged score
 * lies in the tenant's uncertainty band or the llm tier serves emerging categories (and the policy
 * asks for them) — never for clear cases. A request's tiers filter replaces all of this: exactly
 * the named tiers are consulted, in parallel, with {@code forced=true}.
 *
 * <p>What is decided about each category (merge, uncertainty band, gaps, second opinion, tier loss,
 * decision, action, alert, primary category) is {@link CategoryDecider}'s, one per request, read
 * top to bottom there; this class only orders the calls around it. A request reads the fleet's
 * coverage once ({@link FleetCoverage}) and every step uses that snapshot; each tier outcome
 * carries the model it reports.
 *
 * <p>Deadlines are the caller's, outages are the tier's (#12 item 1). A tier cut short by the
 * caller's deadline is not a tier outage: it never triggers {@code on_tier_loss}. When it leaves a
 * category undecidable that the policy would otherwise block on tier loss, or when no tier answered
 * at all, the request fails with DEADLINE_EXCEEDED instead of guessing; otherwise the answer is a
 * partial one, marked {@code degraded} with CALLER_DEADLINE and never cached. A verdict decided
 * while a tier was unavailable (marked {@code degraded} with TIER_UNAVAILABLE) is returned to its
 * caller only: it is never put into the shared verdict cache, so one request's outage never becomes
 * another request's verdict. Decisions made without evidence are logged, rate-limited per tier
 * state.
 *
 * <p>Every verdict, from the cache or fresh, passes the {@link ServedVerdictHook} on its way out
 * (the feedback loop: tenant host overrides, recent verdicts for reports); the cache only ever
 * holds the engine's own verdict.
 *
 * <p>Entirely asynchronous: no thread waits for a tier. The future completes with the response, or
 * exceptionally with a {@link StatusException} carrying the precise status.
 */
public final class ClassificationEngine {

  private static final Logger log = LoggerFactory.getLogger(ClassificationEngine.class);

  private final TierFleet fleet;
  private final PolicyStore policies;
  private final VerdictCache cache;
  private final RequestValidator validator;
  private final RouterMetrics metrics;

  /** The candidate version of a tier (shadow or canary), or {@link CandidateRouting#none()}. */
  private final CandidateRouting candidates;

  /** Input drift as the content tier reports it: truncated pages, languages. */
  private final ContentInputMetrics contentInputs;

  private final TierOutcome[] notDeployed = new TierOutcome[TierName.values().length];
  private final TierOutcome[] notInFilter = new TierOutcome[TierName.values().length];
  private final TierOutcome skippedNoUrl;
  private final TierOutcome skippedNoBody;
  private final TierOutcome skippedClear;
  private final RateLimitedLog tierLossLog = new RateLimitedLog(log);
  private volatile ServedVerdictHook servedHook = ServedVerdictHook.NONE;

  public ClassificationEngine(
      TierFleet fleet,
      PolicyStore policies,
      VerdictCache cache,
      RequestValidator validator,
      RouterMetrics metrics) {
    this(fleet, policies, cache, validator, metrics, CandidateRouting.none());
  }

  /** As above, with a candidate version of a tier beside the serving one (#15: shadow, canary). */
  public ClassificationEngine(
      TierFleet fleet,
      PolicyStore policies,
      VerdictCache cache,
      RequestValidator validator,
      RouterMetrics metrics,
      CandidateRouting candidates) {
    this.candidates = candidates;
    this.contentInputs = new ContentInputMetrics(metrics.registry());
    this.fleet = fleet;
    this.metrics = metrics;
    this.policies = policies;
    this.cache = cache;
    this.validator = validator;
    for (TierName tier : TierName.all()) {
      notDeployed[tier.ordinal()] =
          outcome(
              tier,
              TierState.TIER_STATE_NOT_DEPLOYED,
              "not part of this deployment (SIEVE_" + tier.name() + "_TIER_TARGET is unset)");
      notInFilter[tier.ordinal()] =
          outcome(tier, TierState.TIER_STATE_SKIPPED, "not in the request's tiers filter");
    }
    skippedNoUrl = outcome(TierName.URL, TierState.TIER_STATE_SKIPPED, "request has no url");
    skippedNoBody =
        outcome(TierName.CONTENT, TierState.TIER_STATE_SKIPPED, "request has no html or text");
    skippedClear =
        outcome(
            TierName.LLM,
            TierState.TIER_STATE_SKIPPED,
            "no uncertain category and no emerging category");
    policies.onReload(p -> cache.invalidateAll());
  }

  /**
   * Installs what every verdict passes through on its way out (host overrides, recent verdicts).
   */
  public void onServed(ServedVerdictHook hook) {
    this.servedHook = hook == null ? ServedVerdictHook.NONE : hook;
  }

  /** The hook's verdict; a failing hook (a bug) is logged and the engine's verdict served. */
  private ClassifyResponse served(
      ServedVerdictHook hook,
      ClassifyRequest request,
      ValidatedRequest validated,
      ClassifyResponse verdict) {
    try {
      return hook.served(request, validated.url(), verdict);
    } catch (RuntimeException e) {
      log.error(
          "request {}: served-verdict hook failed, serving the engine's verdict",
          verdict.getRequestId(),
          e);
      return verdict;
    }
  }

  private static TierOutcome outcome(TierName tier, TierState state, String detail) {
    return new TierOutcome(tier, state, 0, null, detail, Status.Code.OK);
  }

  /**
   * Classifies {@code request}.
   *
   * @param callerContext the server call's context (deadline, cancellation), or null
   */
  public CompletableFuture<ClassifyResponse> classify(
      ClassifyRequest request, Context callerContext) {
    ValidatedRequest validated;
    try {
      request = AuthenticatedTenant.bind(request, callerContext);
      validated = validator.validate(request);
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
    PolicyStore.Active active = policies.active();
    Policy policy = active.policy();
    TenantPolicy tenant = policy.lookup(request.getTenantId());
    boolean defaultApplied = tenant == null;
    if (defaultApplied) {
      tenant = policy.global();
    }
    String requestId = request.getRequestId().isEmpty() ? newRequestId() : request.getRequestId();
    VerdictKey key =
        new VerdictKey(
            validated.canonicalUrl(),
            tenant.tenantId(),
            VerdictKey.bodyHash(request.getHtml(), request.getText()),
            validated.tierMask(),
            active.generation());
    ServedVerdictHook hook = servedHook;
    if (request.getBypassCache()) {
      metrics.cacheBypass();
    } else {
      ClassifyResponse hit = cache.get(key, requestId, defaultApplied);
      if (hit != null) {
        metrics.cacheHit();
        metrics.verdict(hit.getAction());
        return CompletableFuture.completedFuture(
            hook == ServedVerdictHook.NONE ? hit : served(hook, request, validated, hit));
      }
      metrics.cacheMiss();
    }
    Deadline deadline = callerContext == null ? null : callerContext.getDeadline();
    if (deadline != null && deadline.isExpired()) {
      return CompletableFuture.failedFuture(
          ErrorDetails.error(
              Status.Code.DEADLINE_EXCEEDED,
              ErrorReason.DEADLINE_TOO_SHORT,
              "deadline expired before classification started"));
    }
    Exchange exchange =
        new Exchange(
            validated, requestId, policy, tenant, defaultApplied, key, deadline, callerContext);
    exchange.start();
    if (hook == ServedVerdictHook.NONE) {
      return exchange.result;
    }
    ClassifyRequest bound = request;
    return exchange.result.thenApply(verdict -> served(hook, bound, validated, verdict));
  }

  /**
   * A random (version 4) UUID without SecureRandom's lock: request ids need uniqueness, not
   * secrecy.
   */
  private static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** One request in flight: the tier outcomes collected so far and what to do when they are in. */
  private final class Exchange {
    final CompletableFuture<ClassifyResponse> result = new CompletableFuture<>();
    final ValidatedRequest request;
    final String requestId;
    final TenantPolicy tenant;
    final boolean defaultApplied;
    final VerdictKey key;
    final Deadline deadline;
    final Context context;
    final TierOutcome[] outcomes = new TierOutcome[TierName.values().length];
    final AtomicInteger pending = new AtomicInteger(1);

    /** What each tier serves, read once for this request (see {@link FleetCoverage}). */
    final FleetCoverage coverage;

    /** Every decision about a category, in order (see {@link CategoryDecider}). */
    final CategoryDecider decider;

    /** The client that answers each tier (the candidate in a canary), and what it was asked. */
    final TierClient[] chosen = new TierClient[TierName.values().length];

    final ScoreRequest[] sent = new ScoreRequest[TierName.values().length];

    /** True when a canary answered per request: the verdict stays out of the shared cache. */
    boolean uncacheable;

    Exchange(
        ValidatedRequest request,
        String requestId,
        Policy policy,
        TenantPolicy tenant,
        boolean defaultApplied,
        VerdictKey key,
        Deadline deadline,
        Context context) {
      this.request = request;
      this.requestId = requestId;
      this.tenant = tenant;
      this.defaultApplied = defaultApplied;
      this.key = key;
      this.deadline = deadline;
      this.context = context;
      this.coverage = fleet.coverage();
      this.decider = new CategoryDecider(request, policy, tenant, coverage);
    }

    /** Records an outcome the router decided without calling the tier (skipped, not deployed). */
    private void notCalled(TierOutcome outcome) {
      outcomes[outcome.tier().ordinal()] = outcome.withModel(coverage.model(outcome.tier()));
    }

    void start() {
      int mask = request.tierMask();
      List<TierClient> calls = new ArrayList<>(3);
      if (mask != 0) {
        for (TierName tier : TierName.all()) {
          TierClient client = fleet.client(tier);
          if (client == null) {
            notCalled(notDeployed[tier.ordinal()]);
          } else if (tier.in(mask)) {
            calls.add(choose(tier, client));
          } else {
            notCalled(notInFilter[tier.ordinal()]);
          }
        }
        if (TierName.LLM.in(mask) && coverage.deployed(TierName.LLM)) {
          decider.llmNamedInTiersFilter();
        }
      } else {
        route(TierName.URL, request.hasUrl(), skippedNoUrl, calls);
        route(TierName.CONTENT, request.hasBody(), skippedNoBody, calls);
        if (!fleet.deployed(TierName.LLM)) {
          notCalled(notDeployed[TierName.LLM.ordinal()]);
        }
      }
      pending.set(calls.size() + 1);
      boolean forced = mask != 0;
      for (TierClient client : calls) {
        ScoreRequest scoreRequest = scoreRequest(client.tier(), forced, List.of());
        sent[client.tier().ordinal()] = scoreRequest;
        client.score(scoreRequest, deadline, context, this::firstPhaseDone);
      }
      firstPhaseDone(null);
    }

    private void route(TierName tier, boolean needed, TierOutcome skipped, List<TierClient> calls) {
      TierClient client = fleet.client(tier);
      if (client == null) {
        notCalled(notDeployed[tier.ordinal()]);
      } else if (needed) {
        calls.add(choose(tier, client));
      } else {
        notCalled(skipped);
      }
    }

    /** The version that answers {@code tier} for this request (the serving one unless a canary). */
    private TierClient choose(TierName tier, TierClient serving) {
      TierClient client = candidates.choose(tier, serving, tenant.tenantId());
      chosen[tier.ordinal()] = client;
      uncacheable |= candidates.uncacheable(client);
      return client;
    }

    /**
     * The outcome as reported: a canary candidate's answer says so in its detail. A candidate is
     * never asked Describe (its lineage is known from its answers only), so when it did not answer
     * the status names the serving version's model from this request's snapshot, as for a skip.
     */
    private TierOutcome reported(TierOutcome outcome) {
      TierClient client = chosen[outcome.tier().ordinal()];
      if (client == null || client == fleet.client(outcome.tier())) {
        return outcome;
      }
      TierOutcome canary = candidates.markCanary(outcome);
      return canary.response() != null ? canary : canary.withModel(coverage.model(outcome.tier()));
    }

    private void firstPhaseDone(TierOutcome outcome) {
      if (outcome != null) {
        outcomes[outcome.tier().ordinal()] = reported(outcome);
      }
      if (pending.decrementAndGet() != 0) {
        return;
      }
      try {
        decider.mergePrimaryTiers(outcomes);
        if (outcomes[TierName.LLM.ordinal()] != null || rejectedInput() != null) {
          finish(null); // llm already decided: not deployed, filtered out, or consulted (forced)
          return;
        }
        List<String> question = decider.secondOpinionQuestion();
        if (question.isEmpty()) {
          notCalled(skippedClear);
          finish(null);
          return;
        }
        ScoreRequest llmRequest = scoreRequest(TierName.LLM, false, question);
        sent[TierName.LLM.ordinal()] = llmRequest;
        choose(TierName.LLM, fleet.client(TierName.LLM))
            .score(llmRequest, deadline, context, this::finish);
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void finish(TierOutcome llmOutcome) {
      try {
        if (llmOutcome != null) {
          outcomes[TierName.LLM.ordinal()] = reported(llmOutcome);
        }
        TierOutcome rejected = rejectedInput();
        if (rejected != null) {
          result.completeExceptionally(
              Status.INVALID_ARGUMENT
                  .withDescription(
                      rejected.tier().wireName() + " tier rejected the input: " + rejected.detail())
                  .asException());
          return;
        }
        decider.applySecondOpinion(outcomes[TierName.LLM.ordinal()]);
        decider.markTierLoss(outcomes);
        for (TierOutcome outcome : outcomes) {
          metrics.tierOutcome(outcome);
        }
        String refusal = decider.callerDeadlineRefusal(outcomes, deadline);
        if (refusal != null) {
          metrics.degraded(RouterMetrics.DegradedKind.CALLER_DEADLINE_REFUSED);
          result.completeExceptionally(
              ErrorDetails.error(
                  Status.Code.DEADLINE_EXCEEDED, ErrorReason.DEADLINE_TOO_SHORT, refusal));
          return;
        }
        ClassifyResponse response = decider.verdict(requestId, defaultApplied, outcomes);
        if (response.getDegraded()) {
          recordDegraded(response);
        } else if (!uncacheable) {
          cache.put(key, response);
        }
        metrics.verdict(response.getAction());
        metrics.alert(response.getAlert());
        metrics.input(request);
        metrics.categories(response, outcomes);
        contentInputs.record(outcomes[TierName.CONTENT.ordinal()]);
        if (log.isDebugEnabled()) {
          log.debug(
              "request {} {} tenant '{}': {} primary '{}' ttl {}s",
              requestId,
              request.loggableUrl(),
              tenant.tenantId(),
              response.getAction(),
              response.getPrimaryCategory(),
              response.getTtlSeconds());
        }
        result.complete(response);
        if (candidates.deployed()) {
          compareVersions();
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    /** After the answer went out: the candidate's comparison, off the served path. */
    private void compareVersions() {
      for (TierName tier : TierName.all()) {
        int i = tier.ordinal();
        if (chosen[i] != null && sent[i] != null && outcomes[i] != null) {
          candidates.compareLater(
              chosen[i],
              outcomes[i],
              fleet.client(tier),
              sent[i],
              tenant,
              request.url() == null ? "" : request.url().host());
        }
      }
    }

    private void fail(RuntimeException e) {
      log.error("request {} ({}): classification failed", requestId, request.loggableUrl(), e);
      result.completeExceptionally(
          Status.INTERNAL
              .withDescription("router failed: " + e.getClass().getSimpleName())
              .asException());
    }

    /** Metrics and the rate-limited log line of a degraded verdict (returned, never cached). */
    private void recordDegraded(ClassifyResponse response) {
      for (DegradedReason reason : response.getDegradedReasonsList()) {
        metrics.degraded(
            reason == DegradedReason.DEGRADED_REASON_CALLER_DEADLINE
                ? RouterMetrics.DegradedKind.CALLER_DEADLINE_PARTIAL
                : RouterMetrics.DegradedKind.TIER_UNAVAILABLE);
      }
      CategoryDecider.FailClosed failClosed = decider.failClosed();
      if (failClosed != null) {
        List<String> blocked = failClosed.categories();
        String detail = failClosed.detail();
        metrics.tierLossBlock();
        tierLossLog.warn(
            "tier-loss/" + detail,
            "fail-closed: {} blocked without evidence (no alert) for {}: request {} tenant '{}' {}",
            blocked,
            detail,
            requestId,
            tenant.tenantId(),
            request.loggableUrl());
      }
    }

    private TierOutcome rejectedInput() {
      for (TierOutcome outcome : outcomes) {
        if (outcome != null && outcome.rejectedInput()) {
          return outcome;
        }
      }
      return null;
    }

    private ScoreRequest scoreRequest(TierName tier, boolean forced, List<String> categories) {
      ClassifyRequest in = request.request();
      ScoreRequest.Builder out =
          ScoreRequest.newBuilder()
              .setUrl(in.getUrl())
              .setTenantId(in.getTenantId())
              .setRequestId(requestId)
              .setForced(forced)
              .addAllCategories(categories);
      if (tier != TierName.URL) {
        ByteString html = in.getHtml();
        ByteString text = in.getText();
        out.setHtml(html).setText(text);
      }
      return out.build();
    }
  }
}
