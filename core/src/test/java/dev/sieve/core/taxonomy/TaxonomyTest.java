package dev.sieve.core.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaxonomyTest {

  @Test
  void v1HasExactlyTheContractIds() {
    assertThat(Taxonomy.v1().ids())
        .containsExactly(
            "adult", "sex_education", "violence", "self_harm", "self_harm_help", "weapons", "drugs", "gambling", "hate", "dating",
            "social_media", "games", "streaming", "chat", "proxy_circumvention", "security_threat",
            "piracy", "shopping", "news", "education", "sports");
  }

  @Test
  void selfHarmAndAdultFailClosedAndSelfHarmAlerts() {
    Taxonomy t = Taxonomy.v1();
    assertThat(t.categories().stream().filter(Category::failClosed).map(Category::id))
        .containsExactlyInAnyOrder("adult", "self_harm");
    assertThat(t.require("self_harm").defaultAction()).isEqualTo(DefaultAction.ALERT);
  }

  @Test
  void emergingCategoriesCannotShadowBuiltIns() {
    Category shadow = new Category("gambling", "x", "x", DefaultAction.BLOCK, false, true);
    assertThatThrownBy(() -> Taxonomy.v1().withEmerging(List.of(shadow)))
        .hasMessageContaining("shadows");
    Category ai = new Category("ai_chatbots", "AI chatbots", "d", DefaultAction.ALLOW, false, true);
    assertThat(Taxonomy.v1().withEmerging(List.of(ai)).ids()).endsWith("ai_chatbots");
  }

  @Test
  void unknownIdIsNamed() {
    assertThatThrownBy(() -> Taxonomy.v1().require("casino")).hasMessageContaining("casino");
  }

  /** docs/taxonomy.md is the human-readable copy of this table; keep them in step. */
  @Test
  void docsListEveryCategoryWithItsDefaultAction() throws Exception {
    Path doc = Path.of("..", "docs", "taxonomy.md");
    String text = Files.readString(doc);
    for (Category c : Taxonomy.v1().categories()) {
      assertThat(text).as("docs/taxonomy.md row for " + c.id())
          .containsPattern("\\| `" + c.id() + "` \\|[^\\n]*\\| " + c.defaultAction() + " \\|");
    }
  }
}
