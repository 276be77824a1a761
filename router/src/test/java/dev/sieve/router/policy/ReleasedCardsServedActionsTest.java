package dev.sieve.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.proto.v1.CategoryAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A model card must describe what the router serves (issue #17: the llm card said ai_chatbots was
 * blocked while the router allowed it). Every released card's "Default action" column is compared
 * with the router's embedded default policy, as the router itself parses it.
 */
class ReleasedCardsServedActionsTest {

  private static final Path MODELS = Path.of("..", "models").toAbsolutePath().normalize();

  @Test
  void everyReleasedCardShowsTheActionTheRouterServes() throws Exception {
    TenantPolicy served = PolicyStore.loadEmbeddedDefault().global();
    List<String> checked = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Path card : releasedCards()) {
      JsonNode rows =
          new ObjectMapper().readTree(card.toFile()).path("executive_summary").path("rows");
      assertThat(rows.size()).as(card + " has summary rows").isPositive();
      for (JsonNode row : rows) {
        String category = row.path("category").asText();
        String expected = servedAction(served, category);
        String shown = row.path("action").asText();
        if (!shown.equals(expected)) {
          wrong.add(
              MODELS.relativize(card)
                  + ": "
                  + category
                  + " shows '"
                  + shown
                  + "', the router serves '"
                  + expected
                  + "'");
        }
        checked.add(category);
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(checked).contains("adult", "self_harm");
  }

  @Test
  void helpAndEmergingCategoriesAreDescribedAsAllowed() throws Exception {
    TenantPolicy served = PolicyStore.loadEmbeddedDefault().global();
    assertThat(servedAction(served, "self_harm_help")).isEqualTo("allow + alert");
    assertThat(servedAction(served, "sex_education")).isEqualTo("allow");
    assertThat(servedAction(served, "self_harm")).isEqualTo("alert");
    assertThat(servedAction(served, "ai_chatbots")).isEqualTo("allow (emerging)");
  }

  /**
   * release-gate.yaml declares the llm tier advisory (its card is reported, not gated) because the
   * default policy lets it decide no blocking verdict: no blocking core category asks it for a
   * second opinion, and what it serves alone (emerging categories) is allowed.
   */
  @Test
  void theAdvisoryLlmTierDecidesNoBlockingVerdictUnderTheDefaultPolicy() throws Exception {
    TenantPolicy served = PolicyStore.loadEmbeddedDefault().global();
    List<String> consulted = new ArrayList<>();
    for (int i = 0; i < served.coreRules().length; i++) {
      CategoryRule rule = served.core(i);
      if (!rule.blocks(served.blockOnAlert())) {
        continue;
      }
      for (int s = 0; s <= 100; s++) {
        if (rule.inBand(s / 100.0)) {
          consulted.add(CoreCategories.id(i) + " at " + s / 100.0);
          break;
        }
      }
    }
    assertThat(consulted)
        .as("blocking categories whose uncertain scores ask the llm tier")
        .isEmpty();
    assertThat(served.llmFillsGaps())
        .as("the llm tier is asked to fill no core category's gap")
        .isFalse();
    assertThat(served.emergingDefault().blocks(served.blockOnAlert())).isFalse();
    assertThat(served.emergingRules().values())
        .noneMatch(rule -> rule.blocks(served.blockOnAlert()));
    String gate = Files.readString(MODELS.getParent().resolve("release-gate.yaml"));
    assertThat(gate)
        .as("release-gate.yaml says why the llm tier is not gated")
        .contains("advisory: true");
  }

  /** The card's wording of the rule the router applies (dev.sieve.eval.card.ServedActions). */
  static String servedAction(TenantPolicy policy, String category) {
    int index = CoreCategories.indexOf(category);
    if (index < 0) {
      return words(policy.emerging(category).action()) + " (emerging)";
    }
    CategoryRule rule = policy.core(index);
    String action = words(rule.action());
    return rule.alert() && rule.action() != CategoryAction.CATEGORY_ACTION_ALERT
        ? action + " + alert"
        : action;
  }

  private static String words(CategoryAction action) {
    return action.name().substring("CATEGORY_ACTION_".length()).toLowerCase(Locale.ROOT);
  }

  private static List<Path> releasedCards() throws IOException {
    List<Path> cards = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(MODELS)) {
      for (Path dir : dirs.sorted().toList()) {
        Path released = dir.resolve("RELEASED");
        if (Files.isRegularFile(released)) {
          Path card =
              dir.resolve(Files.readString(released, StandardCharsets.UTF_8).strip())
                  .resolve("model-card.json");
          assertThat(card).as("released card of " + dir.getFileName()).isRegularFile();
          cards.add(card);
        }
      }
    }
    assertThat(cards).as("released models under " + MODELS).hasSizeGreaterThanOrEqualTo(3);
    return cards;
  }
}
