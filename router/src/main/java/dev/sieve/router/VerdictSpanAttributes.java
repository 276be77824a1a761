package dev.sieve.router;

import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierStatus;
import dev.sieve.router.tier.TierName;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a verdict's lineage onto the router's server span, so an SRE looking at one trace sees
 * what was decided and which tiers answered without opening logs: {@code sieve.action}, {@code
 * sieve.cache_hit}, {@code sieve.alert}, {@code sieve.degraded} (with {@code
 * sieve.degraded_reasons} when true), {@code sieve.decided_categories}, {@code
 * sieve.policy_version}, {@code sieve.model_versions} and {@code sieve.tier.<tier>.status} per
 * tier. Never the URL's query.
 */
final class VerdictSpanAttributes {

  private static final AttributeKey<String> ACTION = AttributeKey.stringKey("sieve.action");
  private static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("sieve.cache_hit");
  private static final AttributeKey<Boolean> ALERT = AttributeKey.booleanKey("sieve.alert");
  private static final AttributeKey<Boolean> DEGRADED = AttributeKey.booleanKey("sieve.degraded");
  private static final AttributeKey<List<String>> DEGRADED_REASONS =
      AttributeKey.stringArrayKey("sieve.degraded_reasons");
  private static final AttributeKey<List<String>> DECIDED =
      AttributeKey.stringArrayKey("sieve.decided_categories");
  private static final AttributeKey<List<String>> MODELS =
      AttributeKey.stringArrayKey("sieve.model_versions");
  private static final AttributeKey<String> POLICY = AttributeKey.stringKey("sieve.policy_version");
  private static final AttributeKey<String> TENANT =
      AttributeKey.stringKey("sieve.effective_tenant");

  /** {@code sieve.tier.<tier>.status} of the known tiers, built once instead of per span. */
  private static final Map<String, AttributeKey<String>> TIER_STATUS =
      Arrays.stream(TierName.values())
          .collect(
              Collectors.toUnmodifiableMap(
                  TierName::wireName, tier -> tierStatusKey(tier.wireName())));

  private VerdictSpanAttributes() {}

  private static AttributeKey<String> statusKey(String tier) {
    AttributeKey<String> key = TIER_STATUS.get(tier);
    return key != null ? key : tierStatusKey(tier);
  }

  private static AttributeKey<String> tierStatusKey(String tier) {
    return AttributeKey.stringKey("sieve.tier." + tier.toLowerCase(Locale.ROOT) + ".status");
  }

  static void record(Span span, ClassifyResponse response) {
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute(ACTION, ShortNames.action(response.getAction()));
    span.setAttribute(CACHE_HIT, response.getCacheHit());
    span.setAttribute(ALERT, response.getAlert());
    span.setAttribute(DEGRADED, response.getDegraded());
    if (response.getDegraded()) {
      span.setAttribute(
          DEGRADED_REASONS, response.getDegradedReasonsList().stream().map(Enum::name).toList());
    }
    span.setAttribute(POLICY, response.getPolicyId() + "@" + response.getPolicyVersion());
    span.setAttribute(TENANT, response.getEffectiveTenant());
    List<String> decided = new ArrayList<>();
    for (CategoryVerdict verdict : response.getCategoriesList()) {
      if (verdict.getDecision()) {
        decided.add(verdict.getCategory());
      }
    }
    span.setAttribute(DECIDED, decided);
    List<String> models = new ArrayList<>();
    for (TierStatus tier : response.getTiersList()) {
      span.setAttribute(statusKey(tier.getTier()), ShortNames.tierState(tier.getState()));
      if (tier.hasModel() && !tier.getModel().getName().isEmpty()) {
        models.add(
            tier.getTier() + ":" + tier.getModel().getName() + "@" + tier.getModel().getVersion());
      }
    }
    span.setAttribute(MODELS, models);
  }
}
