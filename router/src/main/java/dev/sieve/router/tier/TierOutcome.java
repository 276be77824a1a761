package dev.sieve.router.tier;

import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierState;
import io.grpc.Status;

/**
 * What happened when the router consulted (or decided not to consult) one tier for one request.
 *
 * @param tier the tier
 * @param state the state reported in the response's {@code tiers[]}
 * @param latencyMicros wall time of the call, 0 when no call was made
 * @param response the tier's answer when {@code state} is OK, else null
 * @param detail short reason for a non-OK state ("" when OK)
 * @param code the gRPC status the tier answered with (OK when it answered, or when no call was
 *     made)
 * @param callerDeadline true when the call was not started, or timed out, because the CALLER's
 *     deadline (minus the margin) was shorter than the tier's own timeout: the caller's choice, not
 *     a tier outage. Such an outcome is reported as TIMEOUT but is not {@link #unavailable()}: it
 *     never triggers on_tier_loss (fail-closed) and never counts against the breaker.
 * @param model the lineage of the model that answered ({@code response.model}) or, when none
 *     answered, of the one that would have (the tier's last Describe when the outcome was made; the
 *     default instance for a tier that is not deployed). It travels with the outcome so that the
 *     verdict reports the model of the very call it reports, not whatever the fleet says by the
 *     time the verdict is built.
 */
public record TierOutcome(
    TierName tier,
    TierState state,
    long latencyMicros,
    ScoreResponse response,
    String detail,
    Status.Code code,
    boolean callerDeadline,
    ModelInfo model) {

  /** An outcome with the model of its response (the default instance when it has none). */
  public TierOutcome(
      TierName tier,
      TierState state,
      long latencyMicros,
      ScoreResponse response,
      String detail,
      Status.Code code,
      boolean callerDeadline) {
    this(
        tier,
        state,
        latencyMicros,
        response,
        detail,
        code,
        callerDeadline,
        response == null ? ModelInfo.getDefaultInstance() : response.getModel());
  }

  /** An outcome that is not cut short by the caller's deadline. */
  public TierOutcome(
      TierName tier,
      TierState state,
      long latencyMicros,
      ScoreResponse response,
      String detail,
      Status.Code code) {
    this(tier, state, latencyMicros, response, detail, code, false);
  }

  /**
   * True when the tier itself could not give the opinion it was asked for (its own timeout, an open
   * breaker, an error, a full queue); false when the caller's deadline cut the call short.
   */
  public boolean unavailable() {
    return isUnavailable(state) && !callerDeadline;
  }

  /** This outcome, reported with {@code model} (a tier that did not answer: its Describe). */
  public TierOutcome withModel(ModelInfo model) {
    return model.equals(this.model)
        ? this
        : new TierOutcome(
            tier, state, latencyMicros, response, detail, code, callerDeadline, model);
  }

  /** True when a tier was asked and rejected the input as invalid: the caller's fault. */
  public boolean rejectedInput() {
    return code == Status.Code.INVALID_ARGUMENT;
  }

  /**
   * TIMEOUT, CIRCUIT_OPEN, ERROR and REJECTED: the states that trigger fail-open/fail-closed rules.
   */
  public static boolean isUnavailable(TierState state) {
    return state == TierState.TIER_STATE_TIMEOUT
        || state == TierState.TIER_STATE_CIRCUIT_OPEN
        || state == TierState.TIER_STATE_ERROR
        || state == TierState.TIER_STATE_REJECTED;
  }

  static TierOutcome notCalled(TierName tier, TierState state, String detail) {
    return new TierOutcome(tier, state, 0, null, detail, Status.Code.OK);
  }

  static TierOutcome notCalledForCallerDeadline(TierName tier, String detail) {
    return new TierOutcome(
        tier, TierState.TIER_STATE_TIMEOUT, 0, null, detail, Status.Code.OK, true);
  }
}
