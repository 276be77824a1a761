package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.TextRecord;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the v3 hate sources on the small raw fixture: Stormfront sentences (one record
 * per annotated sentence, grouped by post) and the SBIC rules (one fixture row per rule), read back
 * through core's DatasetVersion.
 */
class HateTextFixtureTest {

  static final String SBIC_DEV = "hate-extra/sbic-social-bias-frames/SBIC.v2.agg.dev.csv";
  static final String SBIC_TST = "hate-extra/sbic-social-bias-frames/SBIC.v2.agg.tst.csv";
  static final String STORMFRONT = "hate-extra/stormfront/stormfront_sentences.csv";

  @TempDir static Path out;
  static Map<String, TextRecord> texts;
  static JsonNode report;

  @BeforeAll
  static void build() throws Exception {
    DatasetBuilder.Result result = Fixtures.build(out);
    assertThat(result.ok()).as("budget violations %s", result.budgetViolations()).isTrue();
    DatasetVersion version = DatasetVersion.current(out);
    texts = version.texts().stream().collect(Collectors.toMap(TextRecord::id, Function.identity()));
    report =
        DatasetVersion.mapper()
            .readTree(version.dir().resolve(DatasetBuilder.BUILD_REPORT).toFile());
  }

  @Test
  void stormfrontSentencesAreHateOrHateNegativesGroupedByPost() {
    TextRecord hate = texts.get("hate/stormfront:100_2");
    assertThat(hate.text()).isEqualTo("Those people are vermin and do not belong in our nation .");
    assertThat(hate.labels()).containsExactly("hate");
    assertThat(hate.labelScope()).containsExactly("hate");
    assertThat(hate.kind()).isEqualTo("forum_post");
    assertThat(hate.group()).isEqualTo("stormfront:100");
    assertThat(hate.meta())
        .containsEntry("stormfront_label", "hate")
        .containsEntry("subforum", "1346");
    // noHate: a negative for hate ONLY (never ordinary text: no "*")
    TextRecord noHate = texts.get("hate/stormfront:100_1");
    assertThat(noHate.labels()).isEmpty();
    assertThat(noHate.labelScope()).containsExactly("hate");
    assertThat(noHate.split()).isEqualTo(hate.split());
    // post 200's sentence is a near-duplicate of 100_1: merged into the first copy
    assertThat(noHate.meta()).containsEntry("duplicates_merged", "1");
    assertThat(texts).doesNotContainKeys("hate/stormfront:200_1");
    // relation: no sentence-level label, no scope, a source flag
    TextRecord relation = texts.get("hate/stormfront:100_3");
    assertThat(relation.labels()).isEmpty();
    assertThat(relation.labelScope()).isEmpty();
    assertThat(relation.meta()).containsEntry("flags", "source:hate/stormfront/relation");
    assertThat(texts).doesNotContainKeys("hate/stormfront:100_4", "hate/stormfront:300_1");
    assertThat(texts.values().stream().filter(t -> t.source().equals("hate/stormfront")))
        .hasSize(3);

    // 7 rows: 3 kept, 1 duplicate, idk/skip excluded, a row without file id and an unknown label
    // invalid
    assertThat(Fixtures.entries(report, STORMFRONT)).containsExactly(7L, 3L, 1L, 1L, 2L);
    assertThat(report.path("files").path(STORMFRONT).path("invalidByReason").toString())
        .isEqualTo("{\"missing_file_id\":1,\"unknown_category:maybeHate\":1}");
    assertThat(report.path("text_stats").path("excluded").path("hate/stormfront:idk/skip").asLong())
        .isEqualTo(1);
  }

  @Test
  void sbicHateIsAnOffensiveAttackOnAProtectedGroup() {
    TextRecord attack = texts.get("hate/sbic:dev-0");
    assertThat(attack.text()).isEqualTo("Those foreigners are all thieves and should go home");
    assertThat(attack.labels()).containsExactly("hate");
    assertThat(attack.labelScope())
        .containsExactly("adult", "hate"); // sexYN = 0: also an adult negative
    assertThat(attack.kind()).isEqualTo("post");
    assertThat(attack.meta())
        .containsEntry("sbic_source", "r/darkjokes")
        .containsEntry("offensive", "1.00")
        .containsEntry("group_target", "1.00")
        .containsEntry("lewd", "0.00")
        .containsEntry("target_category", "culture,victim"); // one protected category is enough
    assertThat(texts.get("hate/sbic:tst-3").labels())
        .as("gender is protected")
        .containsExactly("hate");
    assertThat(texts.get("hate/sbic:tst-3").kind()).isEqualTo("tweet");

    // offensive, aimed at a group that is not a protected attribute: no hate label, no hate scope
    TextRecord body = texts.get("hate/sbic:dev-1");
    assertThat(body.labels()).isEmpty();
    assertThat(body.labelScope()).containsExactly("adult");
    assertThat(body.meta()).containsEntry("flags", "source:hate/sbic/other_group_attack");

    // offensive without a group target: a hate negative ("offensive language alone is not hate")
    TextRecord insult = texts.get("hate/sbic:dev-2");
    assertThat(insult.labels()).isEmpty();
    assertThat(insult.labelScope()).containsExactly("adult", "hate");
  }

  @Test
  void sbicSexualReferencesOrdinaryPostsAndExclusions() {
    // sexYN >= 0.5: a lewd source label, not adult, and no adult scope
    TextRecord lewd = texts.get("hate/sbic:dev-4");
    assertThat(lewd.labels()).isEmpty();
    assertThat(lewd.labelScope()).containsExactly("hate");
    assertThat(lewd.meta())
        .containsEntry("flags", "source:hate/sbic/lewd")
        .containsEntry("lewd", "1.00");
    // 0 < sexYN < 0.5: neither an adult negative nor lewd
    TextRecord unsure = texts.get("hate/sbic:dev-5");
    assertThat(unsure.labelScope()).containsExactly("hate");
    assertThat(unsure.meta()).doesNotContainKey("flags");

    // inoffensive and non-sexual posts of the general-purpose samples are background
    TextRecord run = texts.get("hate/sbic:dev-3");
    assertThat(run.text()).isEqualTo("Just finished my morning run and the weather is lovely");
    assertThat(run.labels()).isEmpty();
    assertThat(run.labelScope()).containsExactly("*", "adult", "hate");
    assertThat(run.kind()).isEqualTo("tweet");
    assertThat(run.meta()).containsEntry("group_target", "0.00"); // empty whoTarget reads as 0
    // the same post in the test file is merged into the first copy (a later line)
    assertThat(run.meta()).containsEntry("duplicates_merged", "1");
    assertThat(texts).doesNotContainKey("hate/sbic:tst-4");
    assertThat(texts.get("hate/sbic:tst-0").labelScope()).as("redditMicroagressions").contains("*");
    // not ordinary: a joke community, a lewd general post, an offensive-leaning general post
    assertThat(texts.get("hate/sbic:dev-10").labelScope()).containsExactly("adult", "hate");
    assertThat(texts.get("hate/sbic:tst-1").labelScope()).containsExactly("hate");
    assertThat(texts.get("hate/sbic:tst-2").labelScope()).containsExactly("adult", "hate");

    // duplicates of other sources and sexual references to children are excluded and counted
    assertThat(texts)
        .doesNotContainKeys(
            "hate/sbic:dev-6",
            "hate/sbic:dev-7",
            "hate/sbic:dev-8",
            "hate/sbic:dev-9",
            "hate/sbic:dev-11");
    JsonNode excluded = report.path("text_stats").path("excluded");
    assertThat(excluded.path("hate/sbic:duplicate_of_davidson").asLong()).isEqualTo(1);
    assertThat(excluded.path("hate/sbic:duplicate_of_stormfront").asLong()).isEqualTo(1);
    // one by the annotators' lewdness, one by the text alone
    assertThat(excluded.path("hate/sbic:child_sexual_reference").asLong()).isEqualTo(2);

    // dev: 12 rows = 7 kept + 4 excluded + 1 non-numeric annotation; tst: 5 rows = 4 kept + 1
    // duplicate
    assertThat(Fixtures.entries(report, SBIC_DEV)).containsExactly(12L, 7L, 0L, 4L, 1L);
    assertThat(
            report
                .path("files")
                .path(SBIC_DEV)
                .path("invalidByReason")
                .path("non_numeric_annotation")
                .asLong())
        .isEqualTo(1);
    assertThat(Fixtures.entries(report, SBIC_TST)).containsExactly(5L, 4L, 1L, 0L, 0L);
    assertThat(texts.values().stream().filter(t -> t.source().equals("hate/sbic"))).hasSize(11);
  }
}
