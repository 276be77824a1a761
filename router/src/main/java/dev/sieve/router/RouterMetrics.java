package dev.sieve.router;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import dev.sieve.router.tier.TierOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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
 *   <li>{@code sieve_router_breaker_state{tier}}: 0 closed, 1 open, 2 half-open, 3 other
 * </ul>
 */
public final class RouterMetrics {

  private final Counter[][] tierOutcomes;
  private final Counter cacheHit;
  private final Counter cacheMiss;
  private final Counter cacheBypass;
  private final Counter allow;
  private final Counter block;

  public RouterMetrics(MeterRegistry registry, TierFleet fleet) {
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
                .tag("state", state.name())
                .register(registry);
      }
      TierClient client = fleet.client(tier);
      if (client != null) {
        Gauge.builder("sieve.router.breaker.state", client, RouterMetrics::breakerCode)
            .description("Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 other")
            .tag("tier", tier.wireName())
            .register(registry);
      }
    }
    cacheHit = cache(registry, "hit");
    cacheMiss = cache(registry, "miss");
    cacheBypass = cache(registry, "bypass");
    allow = verdict(registry, Action.ALLOW);
    block = verdict(registry, Action.BLOCK);
  }

  private static Counter cache(MeterRegistry registry, String result) {
    return Counter.builder("sieve.router.cache").description("Verdict cache lookups").tag("result", result).register(registry);
  }

  private static Counter verdict(MeterRegistry registry, Action action) {
    return Counter.builder("sieve.router.verdicts").description("Verdicts returned").tag("action", action.name()).register(registry);
  }

  private static double breakerCode(TierClient client) {
    return switch (client.breakerState()) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 3;
    };
  }

  void tierOutcome(TierOutcome outcome) {
    Counter counter = tierOutcomes[outcome.tier().ordinal()][outcome.state().ordinal()];
    if (counter != null) {
      counter.increment();
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
    (action == Action.BLOCK ? block : allow).increment();
  }
}
