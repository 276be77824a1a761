package dev.sieve.router.feedback;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.proto.v1.Reason;
import java.time.Instant;

/**
 * Turns the engine's verdict into the verdict served under a tenant's host override.
 *
 * <p>The override sets the action outright, like a policy domain override; the wellness alert and
 * the per-category scores stay the model's (an allowed help site still tells the counsellor, and a
 * report about an overridden verdict still shows what the models thought). The served TTL is cut to
 * the seconds left before the override expires, so a filtering stack that caches verdicts for
 * {@code ttl_seconds} never keeps an override past its expiry. A {@link Reason} with RULE evidence
 * names the override id, its creator and its expiry: the audit trail a school asks for.
 */
public final class OverrideApplier {

  /** The tier name overridden verdicts' reasons carry, next to the tiers and "policy". */
  public static final String REASON_TIER = "override";

  private OverrideApplier() {}

  public static ClassifyResponse apply(ClassifyResponse verdict, HostOverride o, long nowMs) {
    boolean allow = o.getEffect() == HostOverride.Effect.EFFECT_ALLOW;
    long secondsLeft = Math.max(0, (o.getExpiresAtMs() - nowMs) / 1000);
    int ttl = (int) Math.min(verdict.getTtlSeconds(), secondsLeft);
    return verdict.toBuilder()
        .setAction(allow ? Action.ACTION_ALLOW : Action.ACTION_BLOCK)
        .setTtlSeconds(ttl)
        .addReasons(
            Reason.newBuilder()
                .setCategory("")
                .setTier(REASON_TIER)
                .setEvidence(
                    Evidence.newBuilder()
                        .setKind(Evidence.Kind.KIND_RULE)
                        .setDetail(describe(o))
                        .setSource("override " + o.getId())))
        .build();
  }

  /**
   * e.g. "tenant override ov-1: allow youtube.com (and subdomains) for tenant school-1, by t.smith,
   * until 2026-...Z: class video".
   */
  static String describe(HostOverride o) {
    StringBuilder sb =
        new StringBuilder(128)
            .append("tenant override ")
            .append(o.getId())
            .append(": ")
            .append(o.getEffect() == HostOverride.Effect.EFFECT_ALLOW ? "allow " : "block ")
            .append(o.getHost())
            .append(" (and subdomains) for tenant ")
            .append(o.getTenantId())
            .append(", by ")
            .append(o.getCreatedBy().isEmpty() ? "unknown" : o.getCreatedBy())
            .append(", until ")
            .append(Instant.ofEpochMilli(o.getExpiresAtMs()));
    if (!o.getReason().isEmpty()) {
      sb.append(": ").append(o.getReason());
    }
    return sb.toString();
  }
}
