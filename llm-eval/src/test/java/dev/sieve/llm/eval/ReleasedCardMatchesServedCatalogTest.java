package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.llm.LlmFallbackServiceMain;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.EmbeddedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The released llm card describes the category set the tier serves (issue #17: it called gambling
 * "not scored by this model" while the tier scored gambling 0.63 on an ordinary page). Every
 * category of the served catalog has a row, there is no row for a category the tier does not serve,
 * and no served category is reported as unscored.
 */
class ReleasedCardMatchesServedCatalogTest {

  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theReleasedCardCoversExactlyTheServedCategories() throws Exception {
    CategoryCatalog catalog = LlmFallbackServiceMain.catalog(HOME.resolve("config/categories"));
    Path released = EmbeddedModel.releasedVersion(EmbeddedModel.modelRoot(HOME)).orElseThrow();
    JsonNode card = new ObjectMapper().readTree(released.resolve("model-card.json").toFile());

    List<String> rows = new ArrayList<>();
    card.path("executive_summary").path("rows").forEach(r -> rows.add(r.path("category").asText()));
    assertThat(rows)
        .as("summary rows of " + released)
        .containsExactlyInAnyOrderElementsOf(catalog.ids());

    List<String> unscored = new ArrayList<>();
    card.path("quantitative_analyses")
        .path("categories")
        .forEach(
            c -> {
              if (c.path("status").asText().equals("not_scored")) {
                unscored.add(c.path("category").asText());
              }
            });
    assertThat(unscored).as("served categories the card calls unscored").isEmpty();
  }
}
