package dev.sieve.router;

import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's own metrics, next to core's per-RPC metrics: what every tier answered (by state),
 * how the verdict cache is doing, which actions went out, and each circuit breaker's state.
 *
 * <p>Every counter is created once, up front, and indexed by enum ordinal, so recording costs an
 * array read and an atomic add: no tag lookup, no allocation on the request path.
 *
 * <ul>
 *   <li>{@code sieve_router_tier_outcomes_total{tier, state}}
 *   <li>{@code sieve_router_cache_total{result = hit | miss | bypass}}
 *   <li>{@code sieve_router_verdicts_total{action}}
 *   <li>{@code sieve_router_breaker_state{tier, state}}: one series per breaker state ({@code
 *       closed}, {@code open}, {@code half_open}, ...), 1 for the current state and 0 for the
 *       others, so {@code sieve_router_breaker_state{state="open"} == 1} is an alert rule
 *   <li>{@code sieve_router_degraded_total{reason}}: fresh verdicts decided without every tier they
 *       needed ({@code tier_unavailable}; {@code caller_deadline_partial}: a partial answer), and
 *       requests refused with DEADLINE_EXCEEDED because the caller's deadline left no time for a
 *       tier a decision depended on ({@code caller_deadline_refused})
 *   <li>{@code sieve_router_tier_loss_blocks_total}: fresh verdicts that block because a category
 *       was decided without evidence under on_tier_loss
 *   <li>{@code sieve_router_alerts_total}: fresh verdicts that raise the wellness alert (each one
 *       rests on a model score)
 *   <li>{@code sieve_router_decisions_total{category}}: positive decisions per category (fresh
 *       verdicts, not cache hits)
 *   <li>{@code sieve_router_category_score{category, tier}}: histogram of served scores per
 *       category, per tier and merged, over the model cards' score bins ({@link ScoreHistograms}):
 *       the input of drift monitoring (PSI / Jensen-Shannon against the model card's distribution)
 *   <li>{@code sieve_router_inputs_total{input = url_only | html | text}}: what fresh verdicts were
 *       computed from, the input-mix side of drift (a card evaluated on pages says little about
 *       traffic that is all bare URLs)
 * </ul>
 */
public final class RouterMetrics {

  private final Counter[][] tierOutcomes;
  private final Counter cacheHit;
  private final Counter cacheMiss;
  private final Counter cacheBypass;
  private final Counter allow;
  private final Counter block;
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final ScoreHistograms scores;
  private final Counter[] inputs = new Counter[InputKind.values().length];
  private final MeterRegistry registry;
  private final PrometheusRegistry scoreRegistry;

  /**
   * The application label Telemetry gives every router series ({@code Telemetry.create("router")}).
   */
  static final String APPLICATION = "router";

  private final Counter[] degraded = new Counter[DegradedKind.values().length];
  private final Counter tierLossBlocks;
  private final Counter alerts;

  /** The {@code reason} label of {@code sieve_router_degraded_total}. */
  public enum DegradedKind {
    TIER_UNAVAILABLE,
    CALLER_DEADLINE_PARTIAL,
    CALLER_DEADLINE_REFUSED
  }

  /** The {@code input} label of {@code sieve_router_inputs_total}. */
  public enum InputKind {
    URL_ONLY,
    HTML,
    TEXT
  }

  /**
   * @param registry the router's meters; the score histograms go into its Prometheus registry when
   *     it is a {@link PrometheusMeterRegistry} (production), else into a private one ({@link
   *     #scoreRegistry()}, for tests)
   */
  /** The registry these meters live in (for the router's other meter groups). */
  MeterRegistry registry() {
    return registry;
  }

  public RouterMetrics(MeterRegistry registry, TierFleet fleet) {
    this.registry = registry;
    this.scoreRegistry =
        registry instanceof PrometheusMeterRegistry prometheus
            ? prometheus.getPrometheusRegistry()
            : new PrometheusRegistry();
    this.scores = new ScoreHistograms(scoreRegistry, APPLICATION);
    for (InputKind kind : InputKind.values()) {
      inputs[kind.ordinal()] =
          Counter.builder("sieve.router.inputs")
              .description("Fresh verdicts by what they were computed from (url_only, html, text)")
              .tag("input", kind.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
    TierState[] states = TierState.values();
    tierOutcomes = new Counter[TierName.values().length][states.length];
    for (TierName tier : TierName.all()) {
      for (TierState state : states) {
        if (state == TierState.UNRECOGNIZED || state == TierState.TIER_STATE_UNSPECIFIED) {
          continue;
        }
        tierOutcomes[tier.ordinal()][state.ordinal()] =
            Counter.builder("sieve.router.tier.outcomes")
                .description("Tier outcomes per request, by state")
                .tag("tier", tier.wireName())
                // Short label values ("OK", "TIMEOUT"): dashboards and alert rules key on them.
                .tag("state", ShortNames.tierState(state))
                .register(registry);
      }
      TierClient client = fleet.client(tier);
      if (client != null) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
          Gauge.builder(
                  "sieve.router.breaker.state", client, c -> c.breakerState() == state ? 1 : 0)
              .description(
                  "Circuit breaker state per tier: 1 for the current state, 0 for the others")
              .tag("tier", tier.wireName())
              .tag("state", state.name().toLowerCase(Locale.ROOT))
              .register(registry);
        }
        if (client.concurrencyLimiter() != null) {
          // sieve_concurrency_limit{side="client",name="<tier>"} and its in_flight / rejected_total
          client.concurrencyLimiter().bindMetrics(registry, "client");
        }
      }
    }
    cacheHit = cache(registry, "hit");
    cacheMiss = cache(registry, "miss");
    cacheBypass = cache(registry, "bypass");
    for (DegradedKind kind : DegradedKind.values()) {
      degraded[kind.ordinal()] =
          Counter.builder("sieve.router.degraded")
              .description(
                  "Verdicts decided (or refused) without every tier they needed, by reason")
              .tag("reason", kind.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
    tierLossBlocks =
        Counter.builder("sieve.router.tier.loss.blocks")
            .description(
                "Verdicts blocked because a category was decided without evidence (on_tier_loss)")
            .register(registry);
    alerts =
        Counter.builder("sieve.router.alerts")
            .description("Fresh verdicts raising the wellness alert")
            .register(registry);
    allow = verdict(registry, Action.ACTION_ALLOW);
    block = verdict(registry, Action.ACTION_BLOCK);
  }

  private static Counter cache(MeterRegistry registry, String result) {
    return Counter.builder("sieve.router.cache")
        .description("Verdict cache lookups")
        .tag("result", result)
        .register(registry);
  }

  private static Counter verdict(MeterRegistry registry, Action action) {
    return Counter.builder("sieve.router.verdicts")
        .description("Verdicts returned")
        .tag("action", ShortNames.action(action))
        .register(registry);
  }

  void tierOutcome(TierOutcome outcome) {
    Counter counter = tierOutcomes[outcome.tier().ordinal()][outcome.state().ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }

  void degraded(DegradedKind kind) {
    degraded[kind.ordinal()].increment();
  }

  void tierLossBlock() {
    tierLossBlocks.increment();
  }

  void alert(boolean raised) {
    if (raised) {
      alerts.increment();
    }
  }

  void cacheHit() {
    cacheHit.increment();
  }

  void cacheMiss() {
    cacheMiss.increment();
  }

  void cacheBypass() {
    cacheBypass.increment();
  }

  void verdict(Action action) {
    (action == Action.ACTION_BLOCK ? block : allow).increment();
  }

  /** The registry that holds {@code sieve_router_category_score}. */
  public PrometheusRegistry scoreRegistry() {
    return scoreRegistry;
  }

  /** What a fresh verdict was computed from. */
  void input(ValidatedRequest request) {
    ClassifyRequest r = request.request();
    InputKind kind =
        !r.getHtml().isEmpty()
            ? InputKind.HTML
            : !r.getText().isEmpty() ? InputKind.TEXT : InputKind.URL_ONLY;
    inputs[kind.ordinal()].increment();
  }

  /**
   * Per-category decision counts, merged and per-tier score histograms of a freshly computed
   * verdict.
   */
  void categories(ClassifyResponse response, TierOutcome[] outcomes) {
    scores.merged(response);
    scores.tiers(outcomes);
    for (CategoryVerdict verdict : response.getCategoriesList()) {
      if (verdict.getDecision()) {
        decisions
            .computeIfAbsent(
                verdict.getCategory(),
                c ->
                    Counter.builder("sieve.router.decisions")
                        .description("Positive decisions per category")
                        .tag("category", c)
                        .register(registry))
            .increment();
      }
    }
  }
}
