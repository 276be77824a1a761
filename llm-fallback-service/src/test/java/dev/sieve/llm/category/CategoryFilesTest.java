package dev.sieve.llm.category;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.llm.TestFixtures;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryFilesTest {

  private static final String CORE_OK =
      """
      format: 1
      categories:
        - id: gambling
          description: Online casinos and betting.
      """;
  private static final String BACKGROUND_OK =
      """
      format: 1
      background: ["a recipe", "the weather", "a math lesson", "football scores", "a library"]
      """;

  private static String emerging(String entry) {
    return "format: 1\ncategories:\n" + entry;
  }

  @Test
  void shippedFilesCoverTheCoreHarmfulCategoriesAndTheShippedEmergingOnes() throws Exception {
    CategoryCatalog catalog = TestFixtures.shippedCatalog();
    assertThat(catalog.ids())
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
            "ai_chatbots",
            "cheating");
    CategoryDefinition gambling = catalog.find("gambling").orElseThrow();
    assertThat(gambling.emerging()).isFalse();
    assertThat(gambling.definition()).isEqualTo(Taxonomy.v1().require("gambling").definition());
    CategoryDefinition ai = catalog.find("ai_chatbots").orElseThrow();
    assertThat(ai.emerging()).isTrue();
    assertThat(ai.defaultAction()).isEqualTo(DefaultAction.BLOCK);
    assertThat(ai.positiveExamples()).isNotEmpty();
    assertThat(catalog.taxonomy().require("cheating").zeroShot()).isTrue();
    assertThat(catalog.background()).hasSizeGreaterThan(20);
    assertThat(catalog.version()).startsWith("cat-");
  }

  @Test
  void packagedCopyEqualsTheRepositoryFiles() throws Exception {
    assertThat(CatalogLoader.fromClasspath().version())
        .isEqualTo(TestFixtures.shippedCatalog().version());
  }

  @Test
  void emergingIdThatShadowsATaxonomyIdIsRejected() {
    String shadow =
        emerging("  - {id: gambling, display_name: G, description: d, default_action: block}\n");
    assertThatThrownBy(() -> CategoryFiles.parse(CORE_OK, shadow, BACKGROUND_OK, "t"))
        .isInstanceOf(CategoryConfigException.class)
        .hasMessageContaining("shadows a built-in Taxonomy v1 category");
  }

  @Test
  void unknownKeyIsRejectedWithTheFileName() {
    String typo =
        emerging("  - {id: crypto, display_name: C, descripton: d, default_action: block}\n");
    assertThatThrownBy(() -> CategoryFiles.parse(CORE_OK, typo, BACKGROUND_OK, "t"))
        .isInstanceOf(CategoryConfigException.class)
        .hasMessageContaining("emerging.yaml")
        .hasMessageContaining("descripton");
  }

  @Test
  void missingFieldsAndBadValuesAreRejected() {
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    CORE_OK,
                    emerging("  - {id: crypto, display_name: C, default_action: block}\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("description is required");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    CORE_OK,
                    emerging(
                        "  - {id: crypto, display_name: C, description: d, default_action: maybe}\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("default_action must be allow, block or alert");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    CORE_OK,
                    emerging(
                        "  - {id: Crypto-Sites, display_name: C, description: d, default_action: block}\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("id must match");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    CORE_OK,
                    emerging(
                        "  - {id: crypto, display_name: C, description: d, default_action: block}\n"
                            + "  - {id: crypto, display_name: C, description: d, default_action: block}\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("defined twice");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    "format: 1\ncategories:\n  - {id: crypto, description: d}\n",
                    emerging(" []\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("is not a Taxonomy v1 id");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    "format: 1\ncategories:\n  - {id: gambling, description: d, default_action: allow}\n",
                    emerging(" []\n"),
                    BACKGROUND_OK,
                    "t"))
        .hasMessageContaining("owned by Taxonomy v1");
    assertThatThrownBy(() -> CategoryFiles.parse(CORE_OK, "categories: []\n", BACKGROUND_OK, "t"))
        .hasMessageContaining("'format: 1' is required");
    assertThatThrownBy(
            () -> CategoryFiles.parse(CORE_OK, "format: 1\ncategories: [\n", BACKGROUND_OK, "t"))
        .isInstanceOf(CategoryConfigException.class)
        .hasMessageContaining("emerging.yaml");
    assertThatThrownBy(
            () ->
                CategoryFiles.parse(
                    CORE_OK, emerging(" []\n"), "format: 1\nbackground: [a]\n", "t"))
        .hasMessageContaining("at least 5");
  }

  @Test
  void definitionHashChangesWithTheTextItIsFittedOn() throws Exception {
    CategoryCatalog one = CategoryFiles.parse(CORE_OK, emerging(" []\n"), BACKGROUND_OK, "t");
    CategoryCatalog two =
        CategoryFiles.parse(
            CORE_OK.replace("betting", "betting sites"), emerging(" []\n"), BACKGROUND_OK, "t");
    CategoryDefinition a = one.find("gambling").orElseThrow();
    assertThat(a.definitionHash())
        .isNotEqualTo(two.find("gambling").orElseThrow().definitionHash());
    assertThat(a.definitionHash())
        .isNotEqualTo(a.withExamples(List.of("x"), List.of()).definitionHash());
    assertThat(one.version()).isNotEqualTo(two.version());
  }

  @Test
  void shippedFilesAreInTheModuleResourcesPath() {
    assertThat(Files.isRegularFile(TestFixtures.CATEGORIES_DIR.resolve("emerging.yaml"))).isTrue();
  }
}
