package dev.sieve.lab.data.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.Fixtures;
import dev.sieve.lab.data.mapping.LabelMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCardTest {

  @Test
  void imbalanceRuleWeightsCapsAndRefusesTinyCategories() {
    assertThat(Imbalance.of("self_harm", "domains", 0, 1000).strategy()).startsWith("gap");
    assertThat(Imbalance.of("self_harm", "domains", 0, 1000).ratio()).isNull();
    Imbalance tiny = Imbalance.of("weapons", "domains", 23, 77_580);
    assertThat(tiny.posWeight()).isZero();
    assertThat(tiny.strategy()).startsWith("too few");
    assertThat(Imbalance.of("chat", "domains", 748, 77_580).posWeight()).isEqualTo(100.0);
    assertThat(Imbalance.of("drugs", "domains", 1000, 4000).posWeight()).isEqualTo(4.0);
    assertThat(Imbalance.of("adult", "domains", 100_000, 5_000).posWeight()).isEqualTo(0.1);
  }

  @Test
  void cardIsGeneratedFromTheVersionAndCanBeRegenerated(@TempDir Path out) throws Exception {
    DatasetBuilder.Result r = Fixtures.build(out);
    Path dir = r.versionDir();
    String md = Files.readString(dir.resolve(DataCard.MARKDOWN));
    assertThat(md)
        .contains("# Data card: " + r.versionId())
        .contains("## 1. Motivation")
        .contains("## 2. Composition")
        .contains("## 3. Collection process")
        .contains("## 4. Preprocessing")
        .contains("## 5. Known label noise")
        .contains("## 6. Annotator agreement")
        .contains("## 7. Known gaps")
        .contains("## 8. Uses and non-uses")
        .contains("## 9. Distribution")
        .contains("## 10. Maintenance")
        .contains("**0** registered domains and **0** text groups appear in more than one split")
        .contains("No labelled self_harm domains at all")
        .contains("CC BY-SA 4.0")
        .contains("| ut1/gambling -> gambling |");
    JsonNode json = DatasetVersion.mapper().readTree(dir.resolve(DataCard.JSON).toFile());
    assertThat(json.path("version").asText()).isEqualTo(r.versionId());
    assertThat(json.path("imbalance").get(0).has("pos_weight")).isTrue();
    assertThat(json.path("agreement").path("davidson").path("kappa").isNumber()).isTrue();
    assertThat(
            json.path("composition")
                    .path("domain_positives_by_category_split")
                    .path("gambling")
                    .path("train")
                    .asLong()
                + json.path("composition")
                    .path("domain_positives_by_category_split")
                    .path("gambling")
                    .path("dev")
                    .asLong()
                + json.path("composition")
                    .path("domain_positives_by_category_split")
                    .path("gambling")
                    .path("test")
                    .asLong())
        .isEqualTo(8);
    // Timings depend on the machine: not in the committed card, in the untracked
    // build-timings.json.
    // A fixture build on a fast machine rounds to 0.0 s, so only presence and sign are checked.
    assertThat(json.path("build").has("seconds")).isFalse();
    assertThat(json.path("build").path("error_budget").isObject()).isTrue();
    JsonNode timings =
        DatasetVersion.mapper().readTree(dir.resolve(DatasetBuilder.BUILD_TIMINGS).toFile());
    assertThat(timings.path("build_seconds").isNumber()).isTrue();
    assertThat(timings.path("build_seconds").asDouble()).isNotNegative();

    Files.delete(dir.resolve(DataCard.MARKDOWN));
    DataCard.write(dir, LabelMapping.load(Fixtures.mapping()), null);
    assertThat(Files.readString(dir.resolve(DataCard.MARKDOWN))).isEqualTo(md);
  }
}
