package dev.sieve.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * classify-batch's JSONL is read by an external evaluation: it keeps the documented short values
 * ("action":"BLOCK"/"ALLOW", tier states "OK", "TIMEOUT", ..., degraded reasons
 * "DEGRADED_TIER_UNAVAILABLE", "DEGRADED_CALLER_DEADLINE") whatever prefixes the proto's enum
 * values carry (ShortNames). This test pins the exact strings for every value of every enum it
 * prints.
 */
class BatchOutputNamesTest {

  private static final BatchItem ITEM =
      new BatchItem(0, 1, IntNode.valueOf(1), "https://a.example/", null, null, null, null);

  private static ClassifyResponse response(
      Action action, List<TierState> states, List<DegradedReason> reasons) {
    ClassifyResponse.Builder r =
        ClassifyResponse.newBuilder().setAction(action).setDegraded(!reasons.isEmpty());
    for (int i = 0; i < states.size(); i++) {
      r.addTiers(TierStatus.newBuilder().setTier("t" + i).setState(states.get(i)));
    }
    r.addAllDegradedReasons(reasons);
    return r.build();
  }

  @Test
  void theJsonlKeepsTheShortDocumentedValues() {
    List<TierState> states = new ArrayList<>();
    List<String> expected =
        List.of("OK", "SKIPPED", "TIMEOUT", "CIRCUIT_OPEN", "NOT_DEPLOYED", "ERROR", "REJECTED");
    for (TierState state : TierState.values()) {
      if (state != TierState.UNRECOGNIZED && state.getNumber() != 0) {
        states.add(state);
      }
    }
    List<DegradedReason> reasons = new ArrayList<>();
    for (DegradedReason reason : DegradedReason.values()) {
      if (reason != DegradedReason.UNRECOGNIZED && reason.getNumber() != 0) {
        reasons.add(reason);
      }
    }
    ObjectNode block = BatchResults.success(ITEM, response(Action.forNumber(2), states, reasons));
    assertThat(block.path("action").asText()).isEqualTo("BLOCK");
    List<String> printed = new ArrayList<>();
    block.path("tiers").forEach(n -> printed.add(n.asText()));
    assertThat(printed).containsExactlyElementsOf(expected);
    List<String> printedReasons = new ArrayList<>();
    block.path("degraded_reasons").forEach(n -> printedReasons.add(n.asText()));
    assertThat(printedReasons)
        .containsExactly("DEGRADED_TIER_UNAVAILABLE", "DEGRADED_CALLER_DEADLINE");

    ObjectNode allow =
        BatchResults.success(ITEM, response(Action.forNumber(1), List.of(), List.of()));
    assertThat(allow.path("action").asText()).isEqualTo("ALLOW");
    assertThat(allow.path("degraded_reasons")).isEmpty();
  }

  @Test
  void evidenceKindsAreShortInTheCliToo() {
    List<String> kinds = new ArrayList<>();
    for (Evidence.Kind kind : Evidence.Kind.values()) {
      if (kind != Evidence.Kind.UNRECOGNIZED && kind.getNumber() != 0) {
        kinds.add(ShortNames.evidenceKind(kind));
      }
    }
    assertThat(kinds).containsExactly("LIST_MATCH", "FEATURE", "TEXT_SPAN", "RULE", "ZERO_SHOT");
  }
}
