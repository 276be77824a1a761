package dev.sieve.helm;

import java.util.Set;

/**
 * The service metrics the chart's dashboard and alert rules query. {@code MonitoringRulesTest}
 * checks that they query nothing else (besides what the rules record); {@code ServiceImagesTest}
 * checks every name against the real services' {@code /metrics} after a Classify, so a renamed
 * metric breaks the build instead of a dashboard panel.
 */
final class ExportedMetrics {

  /**
   * Created on the first positive decision of a category, so absent from a fleet that has made
   * none.
   */
  static final Set<String> LAZY = Set.of("sieve_router_decisions_total");

  static final Set<String> NAMES =
      Set.of(
          "sieve_grpc_server_seconds_count",
          "sieve_grpc_server_seconds_bucket",
          "sieve_router_tier_outcomes_total",
          "sieve_router_breaker_state",
          "sieve_router_degraded_total",
          "sieve_router_tier_loss_blocks_total",
          "sieve_router_cache_total",
          "sieve_router_verdicts_total",
          "sieve_router_category_score_bucket",
          "sieve_router_category_score_count",
          "sieve_router_decisions_total",
          "sieve_router_inputs_total",
          "sieve_router_content_pages_total",
          "sieve_content_shed_total",
          "sieve_content_rejected_total",
          "sieve_content_queue_depth");

  private ExportedMetrics() {}
}
