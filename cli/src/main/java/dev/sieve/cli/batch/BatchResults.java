package dev.sieve.cli.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierStatus;

/**
 * The output line of {@code classify-batch} for one item. Every category of the response is written
 * (not only positives) so the file can be scored offline at any threshold.
 *
 * <pre>
 * {"id":..,"url":..,"input":"url_only","categories":{"adult":{"score":0.01,"decision":false},..},"action":"ALLOW",
 *  "alert":false,"primary_category":"","degraded":false,"tiers":{"url":"OK","content":"SKIPPED","llm":"NOT_DEPLOYED"},
 *  "degraded_reasons":[]}
 * </pre>
 *
 * <p>{@code input} (url_only, html, text: what the request carried) and {@code degraded} are there
 * for {@code ./sieve eval drift}, whose input profile compares the traffic mix with the card's, and
 * so that nobody scores a degraded verdict (decided without a tier it needed) as the fleet's
 * judgement.
 *
 * <pre>
 * {"id":..,"url":..,"error":{"code":"INVALID_ARGUMENT","message":".."}}
 * </pre>
 */
public final class BatchResults {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BatchResults() {}

  public static ObjectNode success(BatchItem item, ClassifyResponse response) {
    ObjectNode line = header(item);
    line.put(
        "input",
        item.html() != null && !item.html().isEmpty()
            ? "html"
            : item.text() != null && !item.text().isEmpty() ? "text" : "url_only");
    ObjectNode categories = line.putObject("categories");
    for (CategoryVerdict verdict : response.getCategoriesList()) {
      ObjectNode category = categories.putObject(verdict.getCategory());
      category.put("score", verdict.getScore());
      category.put("decision", verdict.getDecision());
    }
    // Short names ("BLOCK", "OK", "DEGRADED_TIER_UNAVAILABLE"), whatever prefix the proto's enum
    // values carry: this file is read by an external evaluation (BatchOutputNamesTest pins it).
    line.put("action", ShortNames.action(response.getAction()));
    line.put("alert", response.getAlert());
    line.put("primary_category", response.getPrimaryCategory());
    line.put("degraded", response.getDegraded());
    ObjectNode tiers = line.putObject("tiers");
    for (TierStatus tier : response.getTiersList()) {
      tiers.put(tier.getTier(), ShortNames.tierState(tier.getState()));
    }
    // Why a degraded verdict (decided without a tier it needed: the policy's on_tier_loss for what
    // that tier covers) is degraded, so that nobody scores it as the fleet's judgement.
    var reasons = line.putArray("degraded_reasons");
    response.getDegradedReasonsList().forEach(r -> reasons.add(ShortNames.degradedReason(r)));
    return line;
  }

  public static ObjectNode error(BatchItem item, String code, String message) {
    return error(item, code, message, "");
  }

  /**
   * An item the router refused or failed: the gRPC code name, the message and, when the router sent
   * one, the stable reason code ({@code ErrorInfo.reason}, e.g. MALFORMED_HOST) to branch on.
   */
  public static ObjectNode error(BatchItem item, String code, String message, String reason) {
    ObjectNode line = header(item);
    ObjectNode error = line.putObject("error");
    error.put("code", code);
    error.put("message", message == null ? "" : message);
    if (reason != null && !reason.isEmpty()) {
      error.put("reason", reason);
    }
    return line;
  }

  private static ObjectNode header(BatchItem item) {
    ObjectNode line = NODES.objectNode();
    line.set("id", item.id());
    if (item.url() != null) {
      line.put("url", item.url());
    } else {
      line.putNull("url");
    }
    return line;
  }

  static String toLine(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a batch result", e);
    }
  }
}
