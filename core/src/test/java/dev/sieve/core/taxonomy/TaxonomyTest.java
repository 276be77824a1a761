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
            "adult",
            "sex_education",
            "violence",
            "self_harm",
            "self_harm_help",
            "weapons",
            "drugs",
            "gambling",
            "hate",
            "dating",
            "social_media",
            "games",
            "streaming",
            "chat",
            "proxy_circumvention",
            "security_threat",
            "piracy",
            "shopping",
            "news",
            "education",
            "sports");
  }

  @Test
  void adultFailsClosedAndSelfHarmAlertsWithoutFailingClosed() {
    Taxonomy t = Taxonomy.v1();
    assertThat(t.categories().stream().filter(Category::failClosed).map(Category::id))
        .containsExactly("adult");
    assertThat(t.require("self_harm").defaultAction()).isEqualTo(DefaultAction.ALERT);
    assertThat(t.require("self_harm").failClosed()).isFalse();
  }

  /** Without evidence a category may not be treated more harshly than with it. */
  @Test
  void onlyCategoriesThatBlockOnEvidenceFailClosed() {
    for (Category category : Taxonomy.v1().categories()) {
      if (category.failClosed()) {
        assertThat(category.defaultAction()).as(category.id()).isEqualTo(DefaultAction.BLOCK);
      }
    }
  }

  /** v1.1: help and education are their own categories, never blocked; help still alerts. */
  @Test
  void helpCategoriesAllowAndSelfHarmHelpAlerts() {
    Taxonomy t = Taxonomy.v1();
    assertThat(Taxonomy.VERSION).isEqualTo("v1.1");
    assertThat(t.size()).isEqualTo(21);
    assertThat(t.require("sex_education").defaultAction()).isEqualTo(DefaultAction.ALLOW);
    assertThat(t.require("self_harm_help").defaultAction()).isEqualTo(DefaultAction.ALLOW);
    assertThat(t.require("self_harm_help").failClosed()).isFalse();
    // Alerting: every ALERT category, plus self_harm_help (a counsellor may want to reach the
    // student).
    assertThat(t.categories().stream().filter(Category::alerts).map(Category::id))
        .containsExactly("self_harm", "self_harm_help");
    assertThat(t.require("sex_education").alerts()).isFalse();
    assertThat(t.require("adult").alerts()).isFalse();
  }

  @Test
  void eachHarmfulCategoryNamesTheHelpCategoryThatSharesItsWords() {
    Taxonomy t = Taxonomy.v1();
    assertThat(t.helpFor("adult")).contains("sex_education");
    assertThat(t.helpFor("self_harm")).contains("self_harm_help");
    for (String other :
        List.of("violence", "drugs", "hate", "sex_education", "self_harm_help", "no_such")) {
      assertThat(t.helpFor(other)).as(other).isEmpty();
    }
  }

  @Test
  void alertsFollowsTheDefaultActionUnlessSaidOtherwiseAndAnAlertCategoryMustAlert() {
    assertThat(new Category("x_alert", "X", "d", DefaultAction.ALERT, false, false).alerts())
        .isTrue();
    assertThat(new Category("x_block", "X", "d", DefaultAction.BLOCK, false, false).alerts())
        .isFalse();
    assertThat(new Category("x_allow", "X", "d", DefaultAction.ALLOW, false, false, true).alerts())
        .isTrue();
    assertThatThrownBy(
            () -> new Category("x_alert", "X", "d", DefaultAction.ALERT, false, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("an ALERT category must raise the alert: x_alert");
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
      assertThat(text)
          .as("docs/taxonomy.md row for " + c.id())
          .containsPattern("\\| `" + c.id() + "` \\|[^\\n]*\\| " + c.defaultAction() + " \\|");
    }
  }
}
