package dev.sieve.lab.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of every parser and rule on the small raw fixture (src/test/resources/fixtures/raw):
 * the build output is read back through core's DatasetVersion, exactly as consumers read it.
 */
class PipelineFixtureTest {

  @TempDir static Path out;
  static DatasetBuilder.Result result;
  static DatasetVersion version;
  static Map<String, DomainRecord> domains;
  static Map<String, DomainRecord> background;
  static Map<String, TextRecord> texts;

  @BeforeAll
  static void build() throws Exception {
    result = Fixtures.build(out);
    assertThat(result.ok()).as("budget violations %s", result.budgetViolations()).isTrue();
    version = DatasetVersion.current(out);
    domains =
        version.domains().stream()
            .collect(Collectors.toMap(DomainRecord::host, Function.identity()));
    background =
        version.background().stream()
            .collect(Collectors.toMap(DomainRecord::host, Function.identity()));
    texts = version.texts().stream().collect(Collectors.toMap(TextRecord::id, Function.identity()));
  }

  @Test
  void versionIsReadableThroughCoreAndNamedByCurrent() throws Exception {
    assertThat(version.id()).isEqualTo(result.versionId()).startsWith("ds-").hasSize(15);
    assertThat(Files.readString(out.resolve("CURRENT")).strip()).isEqualTo(result.versionId());
    assertThat(version.dir().resolve("data-card.md")).exists();
    assertThat(version.dir().resolve("data-card.json")).exists();
    assertThat(version.manifest().path("files").findValuesAsText("name"))
        .containsExactly(
            "domains.jsonl.gz", "background.jsonl.gz", "texts.jsonl.gz", "pages.jsonl.gz");
    assertThat(version.manifest().path("split").path("seed").asText()).isEqualTo("test-seed");
  }

  @Test
  void listHostsAreMergedAcrossSourcesWithProvenance() {
    DomainRecord casino = domains.get("casino-royal.com");
    assertThat(casino.labels()).containsExactly("gambling");
    assertThat(casino.labelScope()).containsExactly("gambling");
    assertThat(casino.sources())
        .containsOnlyKeys("ut1/gambling", "shadowwhisperer/Gambling", "blocklistproject/gambling")
        .containsEntry("ut1/gambling", List.of("gambling"));
    assertThat(casino.rank()).isEqualTo(3);
    assertThat(domains.get("www.casino-royal.com").registeredDomain())
        .isEqualTo("casino-royal.com");
    assertThat(domains.get("wild-bets.com").labels()).containsExactly("gambling");
    assertThat(domains.get("live.casino-royal.com").labels()).containsExactly("gambling");
    assertThat(domains.get("bet.example.co.uk").registeredDomain()).isEqualTo("example.co.uk");
    assertThat(domains.get("xn--bcher-wetten-dlb.de").flags()).contains("idn");
    assertThat(domains.get("203.0.113.7").flags()).contains("ip_literal");
    assertThat(domains.get("203.0.113.7").labels()).containsExactly("proxy_circumvention");
    assertThat(domains.get("hosts-style.com").labels()).containsExactly("gambling");
    assertThat(domains.get("adblock-style.com").labels()).containsExactly("gambling");
    assertThat(domains).doesNotContainKeys("may", "urls", "example.com", "adserver.net");
  }

  @Test
  void noiseRuleWithholdsNoisyLabelsOnPopularAdTechAndTrackingHosts() {
    DomainRecord google = domains.get("google.com");
    assertThat(google.labels()).isEmpty();
    assertThat(google.sources()).containsEntry("blocklistproject/gambling", List.of("gambling"));
    assertThat(google.flags())
        .contains("giant_benign_host", "label_withheld:gambling", "all_labels_withheld");
    assertThat(domains.get("tags.adserver.net").flags())
        .contains("infrastructure", "label_withheld:gambling");
    assertThat(domains.get("ads.newsportal.com").flags())
        .contains("infrastructure", "label_withheld:gambling");
    assertThat(domains.get("ads.newsportal.com").labels()).isEmpty();
  }

  @Test
  void sexEducationBeatsAdultAndSourceLabelsStayVisible() {
    // mapping v3: UT1 sexual_education is the sex_education category; C1 withholds adult, C2 makes
    // the
    // host an adult negative
    DomainRecord sexedu = domains.get("sexedu.org");
    assertThat(sexedu.labels()).containsExactly("sex_education");
    assertThat(sexedu.labelScope()).containsExactly("adult", "sex_education");
    assertThat(sexedu.inScope("adult")).as("an adult negative").isTrue();
    assertThat(sexedu.flags())
        .contains("conflict:adult_vs_sexual_education", "label_withheld:adult", "protected_slice")
        .doesNotContain("all_labels_withheld");
    assertThat(sexedu.sources())
        .containsEntry("shadowwhisperer/Adult", List.of("adult"))
        .containsEntry("ut1/sexual_education", List.of("sex_education"));
    assertThat(background).doesNotContainKey("sexedu.org");
    // C2 is about UT1 sexual_education only: an adult-listed host stays positive-only
    assertThat(domains.get("porn.example.com").labelScope()).containsExactly("adult");
    DomainRecord ai = domains.get("chat.example.ai");
    assertThat(ai.labels()).isEmpty();
    assertThat(ai.labelScope()).isEmpty();
    assertThat(ai.sources()).containsEntry("ut1/ai", List.of());
    assertThat(ai.flags()).contains("source:ut1/ai");
  }

  @Test
  void backgroundSubtractsListedSitesButKeepsSitesWithOnlyListedSubdomains() {
    assertThat(background).doesNotContainKeys("casino-royal.com", "porn.example.com");
    assertThat(background)
        .containsKeys(
            "google.com",
            "newsportal.com",
            "www.example.org",
            "wikipedia.org",
            "randomsite.net",
            "gov.uk");
    DomainRecord google = background.get("google.com");
    assertThat(google.labels()).isEmpty();
    assertThat(google.labelScope()).containsExactly("*");
    assertThat(google.rank()).isEqualTo(1);
    assertThat(google.sources())
        .containsOnlyKeys("background/websitelaunches", "background/opendns-top");
    assertThat(google.flags()).contains("curated_head");
    assertThat(background.get("wikipedia.org").sources()).containsKey("background/opendns-random");
    assertThat(background.get("randomsite.net").flags()).contains("opendns_random");
    assertThat(background.get("doubleclick.net").flags())
        .contains("cdn_or_infrastructure", "rank_from_opendns");
    assertThat(background).doesNotContainKey("gravity forms.com");
  }

  @Test
  void davidsonKeepsOffensiveApartFromHateAndMergesDuplicateVotes() {
    TextRecord hate = texts.get("davidson:0");
    assertThat(hate.text()).isEqualTo("RT @user: I hate those people & their kind <url>");
    assertThat(hate.labels()).containsExactly("hate");
    assertThat(hate.labelScope()).containsExactly("hate");
    assertThat(hate.kind()).isEqualTo("tweet");
    // Row 3 is a near-duplicate of row 0 (votes 0/2/1): votes are summed, hate stays the plurality.
    assertThat(hate.meta())
        .containsEntry("votes_hate", "3")
        .containsEntry("votes_offensive", "2")
        .containsEntry("duplicates_merged", "1")
        .containsEntry("label_conflict", "true");
    assertThat(texts).doesNotContainKey("davidson:3");
    TextRecord offensive = texts.get("davidson:1");
    assertThat(offensive.labels()).isEmpty();
    assertThat(offensive.labelScope()).containsExactly("hate");
    assertThat(offensive.meta()).containsEntry("davidson_class", "offensive");
    assertThat(offensive.text()).isEqualTo("@user you are a stupid idiot!!");
    assertThat(texts.get("davidson:2").text())
        .isEqualTo("What a lovely day \u201coutside\u201d <url>");
    assertThat(texts).doesNotContainKey("davidson:5"); // count mismatch: invalid, reported
  }

  @Test
  void cssrsMapsLevelsByTheStatedRuleAndGroupsByUser() {
    TextRecord ideation = texts.get("cssrs:user-0");
    assertThat(ideation.labels()).containsExactly("self_harm");
    assertThat(ideation.text())
        .isEqualTo("I cannot go on anymore.\n\nI've been thinking about ending it.");
    assertThat(ideation.group()).isEqualTo("cssrs-user:user-0");
    assertThat(ideation.kind()).isEqualTo("post");
    assertThat(ideation.labelScope()).containsExactly("self_harm", "self_harm_help");
    // mapping v3: supporting someone at risk is self_harm_help, and a self_harm negative
    assertThat(texts.get("cssrs:user-1").labels()).containsExactly("self_harm_help");
    assertThat(texts.get("cssrs:user-1").labelScope())
        .containsExactly("self_harm", "self_harm_help");
    assertThat(texts.get("cssrs:user-2").labels()).as("Indicator: neither").isEmpty();
    assertThat(texts.get("cssrs:user-2").meta()).containsEntry("flags", "borderline");
    assertThat(texts.get("cssrs:user-3").meta()).containsEntry("truncated_in_source", "true");
    assertThat(texts.get("cssrs:user-3").labels()).containsExactly("self_harm");
    assertThat(texts).doesNotContainKey("cssrs:user-4");
  }

  @Test
  void curlieIsMultiLabelBackgroundAndSplitByRegisteredDomain() {
    TextRecord casino = texts.get("curlie:www.casino-royal.com");
    assertThat(casino.labels()).containsExactly("games", "shopping");
    // mapping v3: the (all) row makes every description ordinary text (scope "*"), on top of the
    // categories the Curlie rows map to -- except rule S1: a casino is not ordinary text, so it
    // keeps
    // only its Curlie scope (no "*": not a gambling or adult negative) and is flagged.
    assertThat(casino.labelScope())
        .containsExactly("education", "games", "news", "shopping", "sports");
    assertThat(casino.inScope("gambling")).isFalse();
    assertThat(casino.meta()).containsEntry("flags", "background_screened");
    assertThat(
            texts.values().stream()
                .filter(t -> t.source().equals("curlie") && !t.id().equals(casino.id())))
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.labelScope()).contains("*"));
    assertThat(texts.get("curlie:news.newsportal.com").inScope("adult"))
        .as("an adult negative again, as in v2")
        .isTrue();
    assertThat(casino.group()).isEqualTo("casino-royal.com");
    assertThat(casino.split()).isEqualTo(domains.get("casino-royal.com").split());
    assertThat(texts.get("curlie:news.newsportal.com").text())
        .isEqualTo("Newsportal\nDaily news & sports");
    assertThat(texts.get("curlie:kids.example.org").labels()).containsExactly("education");
    assertThat(texts).doesNotContainKey("curlie:empty.example");
  }

  @Test
  void safetyPromptsKeepTheirSourceAndExcludeChildExploitation() {
    assertThat(texts.get("safety/ailuminate:a1").labels()).containsExactly("violence");
    assertThat(texts.get("safety/ailuminate:a1").kind()).isEqualTo("prompt");
    assertThat(texts.get("safety/ailuminate:a3").labels()).isEmpty();
    assertThat(texts.get("safety/ailuminate:a3").labelScope())
        .contains("violence", "adult", "self_harm");
    assertThat(texts)
        .doesNotContainKeys(
            "safety/ailuminate:a2",
            "safety/ailuminate:a4",
            "safety/sst:sst_081",
            "safety/xstest:4");
    assertThat(texts.values()).noneMatch(t -> t.text().contains("[excluded"));
    // mapping v3: I2P categories describe generated images, not the prompt: source labels only, out
    // of
    // every taxonomy category's scope (neither positive nor negative).
    assertThat(texts.get("safety/i2p:0").labels()).isEmpty();
    assertThat(texts.get("safety/i2p:0").labelScope()).isEmpty();
    assertThat(texts.get("safety/i2p:0").meta().get("flags"))
        .contains("keyword_derived")
        .contains("source:safety/i2p/");
    assertThat(texts.get("safety/i2p:1").labels()).isEmpty();
    assertThat(texts.get("safety/xstest:1").labels()).isEmpty();
    assertThat(texts.get("safety/xstest:1").labelScope()).contains("violence");
    assertThat(texts.get("safety/xstest:2").labels()).containsExactly("self_harm");
    assertThat(texts.get("safety/xstest:3").labels()).containsExactly("drugs");
    assertThat(texts.get("safety/xstest:5").labels()).isEmpty();
    assertThat(texts.get("safety/xstest:5").meta()).containsEntry("keyword_rule", "none");
    assertThat(texts.get("safety/sst:sst_001").labels()).containsExactly("self_harm");
    assertThat(texts.get("safety/rtp:threat:1").labels()).containsExactly("violence");
    assertThat(texts.get("safety/rtp:threat:1").labelScope()).containsExactly("violence");
    assertThat(texts.get("safety/rtp:insult:1").labels()).isEmpty();
    assertThat(texts.get("safety/rtp:insult:1").labelScope()).isEmpty();
  }

  @Test
  void buildReportCountsEveryInvalidLineWithFileAndLine() throws Exception {
    var report =
        DatasetVersion.mapper().readTree(version.dir().resolve("build-report.json").toFile());
    var ut1 = report.path("files").path("ut1/gambling/domains");
    assertThat(ut1.path("lines").asLong()).isEqualTo(9);
    assertThat(ut1.path("duplicates").asLong()).isEqualTo(1);
    assertThat(ut1.path("invalidByReason").path("no_public_suffix").asLong()).isEqualTo(1);
    assertThat(ut1.path("invalidByReason").path("path_in_host_list").asLong()).isEqualTo(1);
    assertThat(report.path("invalid_examples").toString())
        .contains("\"file\":\"ut1/gambling/domains\",\"line\":5")
        .contains("unknown_category:zzz");
    assertThat(report.path("text_stats").path("excluded").toString())
        .contains("safety/ailuminate:hazard_cse")
        .contains("safety/sst:harm_area_child_safety");
    assertThat(report.path("text_stats").path("agreement").path("davidson").path("items").asInt())
        .isEqualTo(5);
  }

  @Test
  void everyInputEntryIsAccountedFor() throws Exception {
    var files =
        DatasetVersion.mapper()
            .readTree(version.dir().resolve("build-report.json").toFile())
            .path("files");
    assertThat(files.size()).isGreaterThan(15);
    files
        .fields()
        .forEachRemaining(
            e -> {
              var f = e.getValue();
              long sum =
                  f.path("accepted").asLong()
                      + f.path("duplicates").asLong()
                      + f.path("excluded").asLong()
                      + f.path("invalid").asLong();
              assertThat(sum)
                  .as("accepted + duplicates + excluded + invalid of %s", e.getKey())
                  .isEqualTo(f.path("lines").asLong());
            });
    assertThat(
            files
                .path(
                    "safety-prompts/ailuminate_demo/airr_official_1.0_demo_en_us_prompt_set_release.csv")
                .path("excluded")
                .asLong())
        .isEqualTo(1);
    assertThat(files.path("davidson-hate/labeled_data.csv").path("duplicates").asLong())
        .isEqualTo(1);
  }
}
