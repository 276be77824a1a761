package dev.sieve.router.tier;

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
 * @param code the gRPC status the tier answered with (OK when it answered, or when no call was made)
 */
public record TierOutcome(
    TierName tier, TierState state, long latencyMicros, ScoreResponse response, String detail,
    Status.Code code) {

  /** True for states in which the tier could not give the opinion it was asked for. */
  public boolean unavailable() {
    return isUnavailable(state);
  }

  /** True when a tier was asked and rejected the input as invalid: the caller's fault. */
  public boolean rejectedInput() {
    return code == Status.Code.INVALID_ARGUMENT;
  }

  /** TIMEOUT, CIRCUIT_OPEN, ERROR and REJECTED: the states that trigger fail-open/fail-closed rules. */
  public static boolean isUnavailable(TierState state) {
    return state == TierState.TIMEOUT
        || state == TierState.CIRCUIT_OPEN
        || state == TierState.ERROR
        || state == TierState.REJECTED;
  }

  static TierOutcome notCalled(TierName tier, TierState state, String detail) {
    return new TierOutcome(tier, state, 0, null, detail, Status.Code.OK);
  }
}
