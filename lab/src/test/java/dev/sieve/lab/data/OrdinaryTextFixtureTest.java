package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the ordinary-text sources (MedQuAD, OpenStax, OneStopEnglish, recipes,
 * Shakespeare) and the real pages on the small raw fixture, read back through core's
 * DatasetVersion. Every ordinary record is background (scope "*"); the topic rules add the help
 * categories.
 */
class OrdinaryTextFixtureTest {

  @TempDir static Path out;
  static DatasetVersion version;
  static Map<String, TextRecord> texts;
  static Map<String, PageRecord> pages;
  static JsonNode report;
  static JsonNode files;
  static JsonNode excluded;

  @BeforeAll
  static void build() throws Exception {
    DatasetBuilder.Result result = Fixtures.build(out);
    assertThat(result.ok()).as("budget violations %s", result.budgetViolations()).isTrue();
    version = DatasetVersion.current(out);
    texts = version.texts().stream().collect(Collectors.toMap(TextRecord::id, Function.identity()));
    pages = version.pages().stream().collect(Collectors.toMap(PageRecord::id, Function.identity()));
    report =
        DatasetVersion.mapper()
            .readTree(version.dir().resolve(DatasetBuilder.BUILD_REPORT).toFile());
    files = report.path("files");
    excluded = report.path("text_stats").path("excluded");
  }

  private static List<TextRecord> ofSource(String source) {
    return texts.values().stream()
        .filter(t -> t.source().equals(source))
        .sorted(Comparator.comparing(TextRecord::id))
        .toList();
  }

  private static void assertEntries(
      String file, long lines, long accepted, long duplicates, long excludedCount, long invalid) {
    assertThat(Fixtures.entries(report, file))
        .as("%s: lines, accepted, duplicates, excluded, invalid", file)
        .containsExactly(lines, accepted, duplicates, excludedCount, invalid);
  }

  @Test
  void medquadKeepsAnswersGroupedByDocumentWithHelpLabelsFromFocusOrTopicRules() {
    String doc = "ordinary/medquad:1_CancerGov_QA/0000003_1";
    TextRecord plain = texts.get(doc + "-1");
    assertThat(plain.text())
        .isEqualTo("Risk factors: age and sex. Prostate cancer is most common in men over 65.");
    assertThat(plain.labels()).as("'age and sex' is not sex education").isEmpty();
    assertThat(plain.labelScope()).containsExactly("*");
    assertThat(plain.kind()).isEqualTo("health_page");
    assertThat(plain.group()).isEqualTo("medquad:1_CancerGov_QA/0000003_1");
    assertThat(plain.meta())
        .containsEntry("collection", "1_CancerGov_QA")
        .containsEntry("focus", "Prostate Cancer")
        .containsEntry("qtype", "information")
        .containsEntry("url", "https://www.cancer.gov/types/prostate")
        .containsEntry("duplicates_merged", "1"); // answer 4 repeats answer 1 in the same document
    assertThat(texts).doesNotContainKey(doc + "-4");

    TextRecord sexual = texts.get(doc + "-2");
    assertThat(sexual.labels()).containsExactly("sex_education");
    assertThat(sexual.labelScope()).containsExactly("*", "sex_education");
    assertThat(sexual.meta())
        .containsEntry("topic_rule", "topic_sex_education:keywords")
        .containsEntry("flags", "keyword_derived");
    TextRecord help = texts.get(doc + "-3");
    assertThat(help.text())
        .isEqualTo(
            "Some patients feel hopeless; suicide prevention services & counselling can help.");
    assertThat(help.labels()).containsExactly("self_harm_help");
    assertThat(help.meta()).containsEntry("topic_rule", "topic_self_harm_help:keywords");
    // every answer of a document shares its split
    assertThat(List.of(sexual.split(), help.split())).containsOnly(plain.split());

    TextRecord birthControl = texts.get("ordinary/medquad:4_MPlus_Health_Topics_QA/0000001-1");
    assertThat(birthControl.labels()).containsExactly("sex_education");
    assertThat(birthControl.meta())
        .containsEntry("topic_rule", "topic_sex_education:source_metadata");
    assertThat(texts)
        .doesNotContainKey("ordinary/medquad:4_MPlus_Health_Topics_QA/0000001-2"); // blank answer
    // a suicide-focus document labels answers that name no keyword at all, and tolerates a pair
    // without question
    TextRecord lifeline = texts.get("ordinary/medquad:4_MPlus_Health_Topics_QA/0000002-1");
    assertThat(lifeline.text()).doesNotContainIgnoringCase("suicid");
    assertThat(lifeline.labels()).containsExactly("self_harm_help");
    assertThat(lifeline.meta()).containsEntry("topic_rule", "topic_self_harm_help:source_metadata");
    TextRecord noQuestion = texts.get("ordinary/medquad:4_MPlus_Health_Topics_QA/0000002-2");
    assertThat(noQuestion.labels()).containsExactly("self_harm_help");
    assertThat(noQuestion.meta()).doesNotContainKey("qtype");
    assertThat(noQuestion.split()).isEqualTo(lifeline.split());

    assertThat(ofSource("ordinary/medquad")).hasSize(6);
    // 7 answers (1 merged as a duplicate) + 1 unparseable document + 1 document without answers
    assertEntries(
        "ordinary-text/medquad-nih-health/medquad_xml_selected_collections.tar.gz", 9, 6, 1, 0, 2);
    assertThat(
            files
                .path("ordinary-text/medquad-nih-health/medquad_xml_selected_collections.tar.gz")
                .path("invalidByReason")
                .path("xml_not_parseable")
                .asLong())
        .isEqualTo(1);
  }

  @Test
  void openstaxMergesBlocksIntoPassagesAndExcludesCitations() {
    TextRecord first = texts.get("ordinary/openstax:psychology/m1001-0");
    assertThat(first.text())
        .isEqualTo(
            "Stages of Development\nDevelopment is the change in people over the whole "
                + "lifespan. Psychologists study how children grow, how teenagers become adults and how adults keep learning, "
                + "and they ask which changes come from nature and which come from nurture, culture & experience.");
    assertThat(first.labels()).isEmpty();
    assertThat(first.labelScope()).containsExactly("*");
    assertThat(first.kind()).isEqualTo("textbook");
    assertThat(first.group()).isEqualTo("openstax:openstax/osbooks-psychology/m1001");
    assertThat(first.meta())
        .containsEntry("book", "Psychology 2e")
        .containsEntry("chapter", "Lifespan Development")
        .containsEntry("module_title", "Stages of Development");
    // a heading after 40+ words starts a new passage; the in-text citation, the References section
    // and
    // its entries are excluded; the next heading ends the References section
    TextRecord second = texts.get("ordinary/openstax:psychology/m1001-1");
    assertThat(second.text())
        .isEqualTo(
            "Adolescence\nAdolescence is a period of rapid change. Schools offer suicide "
                + "prevention programs because teenagers who feel hopeless often do not ask for help on their own.\n"
                + "Summary\nToo short to keep.");
    assertThat(second.labels()).containsExactly("self_harm_help");
    assertThat(second.split()).isEqualTo(first.split());
    assertThat(texts.values())
        .noneMatch(
            t ->
                t.text().contains("Erikson")
                    || t.text().contains("Norton")
                    || t.text().contains("Journal of Youth")
                    || t.text().contains("doi:10"));

    // reproductive-system module: sex education whatever the words; 120+ words end a passage;
    // the short trailing block is dropped
    TextRecord testes = texts.get("ordinary/openstax:anatomy-physiology/m2001-0");
    assertThat(testes.text())
        .startsWith("The testes are a pair of oval organs")
        .contains("\nSperm made in the tubules")
        .endsWith("one of the most common cancers in young men.")
        .doesNotContain("closing note");
    assertThat(testes.labels()).containsExactly("sex_education");
    assertThat(testes.meta()).containsEntry("topic_rule", "topic_sex_education:source_metadata");
    assertThat(texts)
        .doesNotContainKeys(
            "ordinary/openstax:anatomy-physiology/m2001-1", "ordinary/openstax:us-history/m3001-0");
    assertThat(ofSource("ordinary/openstax")).hasSize(3);

    // 3 passages + 6 citation blocks (4 in m1001, 2 in the references-only module m3002) + the
    // unparseable line + m3001 (too short for a passage)
    assertEntries("ordinary-text/openstax-textbooks/openstax_modules.jsonl.gz", 11, 3, 0, 6, 2);
    assertThat(excluded.path("ordinary/openstax:citation").asLong()).isEqualTo(6);
    assertThat(
            files
                .path("ordinary-text/openstax-textbooks/openstax_modules.jsonl.gz")
                .path("invalidByReason")
                .path("no_passages")
                .asLong())
        .isEqualTo(1);
  }

  @Test
  void oneStopEnglishReadsAllThreeLevelsIntoOneGroupAndSkipsTheAsciiStrippedCopies() {
    TextRecord adv = texts.get("ordinary/onestopenglish:bees-adv");
    TextRecord ele = texts.get("ordinary/onestopenglish:bees-ele");
    TextRecord intermediate = texts.get("ordinary/onestopenglish:bees-int");
    // the nested Int-Txt/Int-Txt copy: non-ASCII kept, byte-order mark and "Intermediate" line
    // removed
    assertThat(intermediate.text())
        .isEqualTo("Bees are dying on farms across Europe \u2013 and scientists blame pesticides.");
    assertThat(adv.text()).startsWith("Bees are disappearing").doesNotContain("\ufeff");
    // "Bees -adv.txt" (space before the level) and "Bees-ele.txt" are one article
    assertThat(List.of(adv.group(), ele.group(), intermediate.group()))
        .containsOnly("onestopenglish:bees");
    assertThat(List.of(adv.split(), ele.split())).containsOnly(intermediate.split());
    assertThat(intermediate.meta())
        .containsEntry("reading_level", "int")
        .containsEntry("title", "Bees");
    assertThat(adv.kind()).isEqualTo("news_article");
    assertThat(adv.labelScope()).containsExactly("*", "news");
    assertThat(adv.labels()).containsExactly("news");

    TextRecord teenAdv = texts.get("ordinary/onestopenglish:wnl-teen-health-adv");
    assertThat(teenAdv.labels()).containsExactly("news", "self_harm_help", "sex_education");
    assertThat(teenAdv.meta())
        .containsEntry("title", "Teen health")
        .containsEntry("topic_rule", "topic_sex_education:keywords,topic_self_harm_help:keywords");
    // the topic rules run per level: the elementary text does not mention eating disorders
    assertThat(texts.get("ordinary/onestopenglish:wnl-teen-health-ele").labels())
        .containsExactly("news", "sex_education");
    assertThat(texts.get("ordinary/onestopenglish:wnl-teen-health-int").text())
        .isEqualTo(
            "Schools will teach sexual health from age 11.\nCharities that help with eating disorders are happy.");
    assertThat(ofSource("ordinary/onestopenglish")).hasSize(6);
    assertEntries(
        "ordinary-text/onestopenglish/Texts-SeparatedByReadingLevel.tar.gz", 6, 6, 0, 0, 0);
  }

  @Test
  void recipesKeepTheTitleAndDropFrontMatterAndImages() {
    TextRecord wine = texts.get("ordinary/recipes:mulled-wine");
    assertThat(wine.text())
        .isEqualTo(
            "Mulled Wine\nA warm spiced drink for winter evenings.\n## Ingredients\n"
                + "- 1 bottle red wine\n- 50ml brandy\n- 2 cinnamon sticks");
    assertThat(wine.labels()).isEmpty();
    assertThat(wine.labelScope()).containsExactly("*");
    assertThat(wine.group()).isEqualTo("recipes:mulled-wine");
    assertThat(wine.meta()).containsEntry("title", "Mulled Wine");
    assertThat(wine.kind()).isEqualTo("recipe");
    TextRecord bread = texts.get("ordinary/recipes:plain-bread");
    assertThat(bread.text())
        .isEqualTo(
            "Plain bread needs only flour, water, yeast and salt.\n## Directions\n1. Mix.\n"
                + "2. Bake for 40 min.");
    assertThat(bread.meta()).containsEntry("title", ""); // no front matter, no title
    assertThat(ofSource("ordinary/recipes"))
        .hasSize(2); // _index.md and the non-Markdown file are not pages
    assertEntries("ordinary-text/public-domain-recipes/content_markdown.tar.gz", 2, 2, 0, 0, 0);
  }

  @Test
  void shakespeareJoinsLinesIntoPassagesPerSceneAndGroupsByAct() {
    TextRecord witches = texts.get("ordinary/shakespeare:macbeth-0");
    assertThat(witches.text())
        .isEqualTo(
            "[Thunder and lightning. Enter three Witches]\n"
                + "First Witch: When shall we three meet again In thunder, lightning, or in rain?\n"
                + "Second Witch: When the hurlyburly's done, When the battle's lost and won.\n[Exeunt]");
    assertThat(witches.labelScope()).containsExactly("*");
    assertThat(witches.kind()).isEqualTo("literature");
    assertThat(witches.group()).isEqualTo("shakespeare:macbeth/Act I");
    assertThat(witches.meta())
        .containsEntry("play", "macbeth")
        .containsEntry("scene", "Act I / Scene I");
    // Scene II (9 words) is a fragment: excluded, so the next passage is number 1; the stage
    // direction
    // after 80 words does not end the passage, the next speech does
    TextRecord banquo = texts.get("ordinary/shakespeare:macbeth-1");
    assertThat(banquo.text())
        .startsWith("BANQUO: How goes the night, boy?")
        .contains(
            "Gives way to in repose!\n[Enter MACBETH and a Servant with a torch]\nMACBETH: Give me my sword.")
        .endsWith("What is it that you bid me do tonight?");
    assertThat(banquo.group()).isEqualTo("shakespeare:macbeth/Act II");
    assertThat(texts.values()).noneMatch(t -> t.text().contains("What bloody man"));
    assertThat(texts).doesNotContainKey("ordinary/shakespeare:macbeth-2");
    // exactly MIN_WORDS (15) words is a passage
    assertThat(texts.get("ordinary/shakespeare:romeo_juliet-0").text())
        .isEqualTo(
            "SAMPSON: Gregory, o' my word, we'll not carry coals. No, for then we should be colliers.");
    assertThat(ofSource("ordinary/shakespeare"))
        .extracting(TextRecord::id)
        .containsExactly(
            "ordinary/shakespeare:hamlet-0",
            "ordinary/shakespeare:julius_caesar-0",
            "ordinary/shakespeare:macbeth-0",
            "ordinary/shakespeare:macbeth-1",
            "ordinary/shakespeare:othello-0",
            "ordinary/shakespeare:romeo_juliet-0");
    // 12 rows: 9 in passages, 2 in the Scene II fragment (excluded), 1 without dialogue (invalid)
    assertEntries("ordinary-text/shakespeare-tragedies/macbeth.csv", 12, 9, 0, 2, 1);
    assertThat(excluded.path("ordinary/shakespeare:short_fragment").asLong()).isEqualTo(2);
  }

  @Test
  void everyOrdinaryRecordIsBackgroundAndOnlyHelpCategoriesAreLabelled() {
    List<TextRecord> ordinary =
        texts.values().stream().filter(t -> t.source().startsWith("ordinary/")).toList();
    assertThat(ordinary).hasSize(23);
    for (TextRecord t : ordinary) {
      assertThat(t.labelScope()).as(t.id()).contains("*");
      // Only ALLOW categories: the help categories, and news for the classroom news articles.
      assertThat(t.labels()).as(t.id()).isSubsetOf("sex_education", "self_harm_help", "news");
      assertThat(t.labelScope()).as(t.id()).containsAll(t.labels());
      assertThat(t.group()).as(t.id()).doesNotStartWith("text:");
    }
  }

  @Test
  void pagesAreEvaluationOnlyInDevAndTestWithTheReferenceArticleText() {
    assertThat(version.manifest().path("files").findValuesAsText("name"))
        .contains(DatasetVersion.PAGES);
    assertThat(pages)
        .containsOnlyKeys("pages/readability:blog-post", "pages/readability:health-article");
    PageRecord health = pages.get("pages/readability:health-article");
    assertThat(health.html()).startsWith("<!DOCTYPE html>").contains("<nav>").contains("<footer>");
    // blockquote with a paragraph inside: listed once; the empty paragraph is skipped
    assertThat(health.articleText())
        .isEqualTo(
            "Talking to Teens About Puberty\nPuberty brings many changes.\nAnswer questions honestly.");
    assertThat(health.title()).isEqualTo("Talking to Teens About Puberty");
    assertThat(health.site()).isEqualTo("Family Health");
    assertThat(health.labels()).isEmpty();
    assertThat(health.labelScope()).containsExactly("*");
    assertThat(health.kind()).isEqualTo("page");
    assertThat(health.group()).isEqualTo("readability:health-article");
    assertThat(health.meta())
        .containsEntry("dir", "health-article")
        .containsEntry("lang", "en-US")
        .containsEntry(
            "html_bytes", String.valueOf(health.html().getBytes(StandardCharsets.UTF_8).length));
    PageRecord blog = pages.get("pages/readability:blog-post");
    // list items with and without a paragraph inside, table cells
    assertThat(blog.articleText())
        .isEqualTo(
            "Baking with Kids\nFlour everywhere, and happy faces.\nWash hands first.\nUse a timer.\nOven\n180 \u00b0C");
    assertThat(blog.site()).isEmpty();
    // the split rule: the page directory's bucket < 50 is dev, else test; never train (the fixture
    // has one of each)
    assertThat(health.split()).isEqualTo("dev");
    assertThat(blog.split()).isEqualTo("test");
    assertThat(texts.values()).noneMatch(t -> t.source().startsWith("pages/"));
    assertEntries(
        "real-pages/readability-test-pages/readability_real_pages_en.tar.gz", 4, 2, 0, 0, 2);
    assertThat(
            files
                .path("real-pages/readability-test-pages/readability_real_pages_en.tar.gz")
                .path("invalidByReason")
                .toString())
        .isEqualTo("{\"empty_page\":1,\"metadata_not_json\":1}");
  }
}
