package dev.sieve.core.grpc;

import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.TierState;

/**
 * The short, documented names of the verdict enums in Sieve's own outputs ({@code classify-batch}
 * JSONL, the CLI's tables): {@code "BLOCK"}, {@code "OK"}, {@code "TIMEOUT"}, {@code
 * "DEGRADED_TIER_UNAVAILABLE"}, {@code "LIST_MATCH"}.
 *
 * <p>Why one place: the proto's enum values carry buf-style prefixes ({@code ACTION_BLOCK}, {@code
 * TIER_STATE_OK}, {@code DEGRADED_REASON_TIER_UNAVAILABLE}, {@code KIND_LIST_MATCH}), which is
 * right for the wire and its JSON mapping, but the batch output is read by an external evaluation
 * and documented with the short values. Every output that prints a verdict enum goes through here
 * (pinned by BatchOutputNamesTest in the cli), so a proto rename never changes those files.
 */
public final class ShortNames {

  private ShortNames() {}

  /** "ALLOW", "BLOCK" (or "ACTION_UNSPECIFIED", "UNRECOGNIZED"). */
  public static String action(Action action) {
    return strip(action.name(), "ACTION_", "ACTION_UNSPECIFIED");
  }

  /** "OK", "SKIPPED", "TIMEOUT", "CIRCUIT_OPEN", "NOT_DEPLOYED", "ERROR", "REJECTED". */
  public static String tierState(TierState state) {
    return strip(state.name(), "TIER_STATE_", "TIER_STATE_UNSPECIFIED");
  }

  /**
   * "DEGRADED_TIER_UNAVAILABLE", "DEGRADED_CALLER_DEADLINE": the names before the buf-style prefix.
   */
  public static String degradedReason(DegradedReason reason) {
    String name = reason.name();
    if (name.equals("DEGRADED_REASON_UNSPECIFIED") || name.equals("UNRECOGNIZED")) {
      return name;
    }
    return name.startsWith("DEGRADED_REASON_")
        ? "DEGRADED_" + name.substring("DEGRADED_REASON_".length())
        : name;
  }

  /** "LIST_MATCH", "FEATURE", "TEXT_SPAN", "RULE", "ZERO_SHOT". */
  public static String evidenceKind(Evidence.Kind kind) {
    return strip(kind.name(), "KIND_", "KIND_UNSPECIFIED");
  }

  private static String strip(String name, String prefix, String unspecified) {
    if (name.equals(unspecified) || name.equals("UNRECOGNIZED")) {
      return name;
    }
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }
}
