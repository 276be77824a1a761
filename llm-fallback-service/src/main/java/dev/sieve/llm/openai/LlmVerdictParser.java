package dev.sieve.llm.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict validation of the model's reply: exactly {@code {"scores": {<asked id>: <number 0..1>,
 * ...}, "rationale": "<string>"}}.
 *
 * <p>Strict on purpose: a reply that is almost right (wrapped in a code fence, a score as a string,
 * an extra category, 1.2) is a sign the model did not follow the contract, and a silently repaired
 * answer is a silently wrong verdict. Rejected replies get one corrective retry, then the embedded
 * backend answers. Rules: one JSON object and nothing after it; no duplicate keys; no top-level
 * keys besides scores and rationale; scores has every asked category and no other; every score a
 * JSON number (not a string or boolean), finite, within [0, 1]; rationale a string of at most
 * {@value #MAX_RATIONALE_CHARS} characters.
 */
public final class LlmVerdictParser {

  static final int MAX_RATIONALE_CHARS = 2000;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private LlmVerdictParser() {}

  public static LlmVerdict parse(String content, List<String> expectedCategories)
      throws InvalidLlmOutputException {
    if (content == null || content.isBlank()) {
      throw new InvalidLlmOutputException("the reply was empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(content.strip());
    } catch (JsonProcessingException e) {
      throw new InvalidLlmOutputException(
          "the reply is not a single JSON object (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidLlmOutputException("the reply is not a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("scores") && !field.equals("rationale")) {
        throw new InvalidLlmOutputException("unexpected top-level key '" + field + "'");
      }
    }
    JsonNode scores = root.get("scores");
    if (scores == null || !scores.isObject()) {
      throw new InvalidLlmOutputException("'scores' must be a JSON object");
    }
    JsonNode rationale = root.get("rationale");
    if (rationale == null || !rationale.isTextual()) {
      throw new InvalidLlmOutputException("'rationale' must be a string");
    }
    if (rationale.asText().length() > MAX_RATIONALE_CHARS) {
      throw new InvalidLlmOutputException(
          "'rationale' is longer than " + MAX_RATIONALE_CHARS + " characters");
    }
    Set<String> expected = new LinkedHashSet<>(expectedCategories);
    Map<String, Double> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String id = entry.getKey();
      if (!expected.contains(id)) {
        throw new InvalidLlmOutputException("unknown category '" + id + "' in scores");
      }
      JsonNode value = entry.getValue();
      if (!value.isNumber()) {
        throw new InvalidLlmOutputException("score of '" + id + "' is not a number");
      }
      double v = value.asDouble();
      if (!Double.isFinite(v) || v < 0.0 || v > 1.0) {
        throw new InvalidLlmOutputException(
            "score of '" + id + "' is " + value + ", outside [0, 1]");
      }
      out.put(id, v);
    }
    for (String id : expected) {
      if (!out.containsKey(id)) {
        throw new InvalidLlmOutputException("missing score for category '" + id + "'");
      }
    }
    return new LlmVerdict(out, rationale.asText());
  }
}
