package dev.sieve.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LlmVerdictParserTest {

  private static final List<String> IDS = List.of("gambling", "ai_chatbots");

  @Test
  void validReplyIsParsed() throws Exception {
    LlmVerdict verdict =
        LlmVerdictParser.parse(
            " {\"scores\": {\"gambling\": 0.9, \"ai_chatbots\": 0}, \"rationale\": \"An online casino.\"}\n",
            IDS);
    assertThat(verdict.scores()).containsEntry("gambling", 0.9).containsEntry("ai_chatbots", 0.0);
    assertThat(verdict.rationale()).isEqualTo("An online casino.");
  }

  private static void assertRejected(String reply, String reason) {
    assertThatThrownBy(() -> LlmVerdictParser.parse(reply, IDS))
        .isInstanceOf(InvalidLlmOutputException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void malformedRepliesAreRejectedWithAReasonTheModelCanAct() {
    assertRejected("The page is safe.", "not a single JSON object");
    assertRejected(
        "```json\n{\"scores\": {\"gambling\": 0.1, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}\n```",
        "not a single JSON object");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"} trailing",
        "not a single JSON object");
    assertRejected("[0.1, 0.2]", "not a JSON object");
    assertRejected("", "empty");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1, \"ai_chatbots\": 0.1}}", "'rationale' must be a string");
    assertRejected("{\"scores\": [0.1], \"rationale\": \"x\"}", "'scores' must be a JSON object");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1, \"ai_chatbots\": 0.1}, \"rationale\": \"x\", \"action\": \"allow\"}",
        "unexpected top-level key 'action'");
    assertRejected(
        "{\"scores\": {\"gambling\": 1.2, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}",
        "outside [0, 1]");
    assertRejected(
        "{\"scores\": {\"gambling\": -0.01, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}",
        "outside [0, 1]");
    assertRejected(
        "{\"scores\": {\"gambling\": \"0.9\", \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}",
        "not a number");
    assertRejected(
        "{\"scores\": {\"gambling\": true, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}",
        "not a number");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1, \"ai_chatbots\": 0.1, \"safe\": 1}, \"rationale\": \"x\"}",
        "unknown category 'safe'");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1}, \"rationale\": \"x\"}",
        "missing score for category 'ai_chatbots'");
    assertRejected(
        "{\"scores\": {\"gambling\": 0.1, \"gambling\": 0.9, \"ai_chatbots\": 0.1}, \"rationale\": \"x\"}",
        "not a single JSON object");
  }
}
