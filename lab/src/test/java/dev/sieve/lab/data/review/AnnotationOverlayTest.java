package dev.sieve.lab.data.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.Fixtures;
import dev.sieve.lab.data.Overlays;
import dev.sieve.lab.data.Splitter;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.texts.TextCleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annotation exports (issue #14) coming back into the data: provenance on corrections, new text and
 * URL records, the data card's "labels from annotation", and a new dataset version naming the
 * overlay. The overlay lines follow docs/annotation.md, "Label overlays from annotation",
 * literally.
 */
class AnnotationOverlayTest {

  private static final String OVERLAY = "2026-12-annotation-batch-1";

  @Test
  void anAnnotationOverlayYieldsANewVersionWithItsLabelsAndProvenance(@TempDir Path tmp)
      throws Exception {
    Path datasets = tmp.resolve("datasets");
    Path overlays = tmp.resolve("overlays");
    DatasetBuilder.Result before =
        new DatasetBuilder(Fixtures.options(datasets, overlays, "test-seed", 0.5), System.err)
            .build();
    DatasetVersion old = DatasetVersion.open(before.versionDir());
    TextRecord existing =
        old.texts().stream().filter(t -> t.id().equals("davidson:1")).findFirst().orElseThrow();

    Files.createDirectories(overlays);
    Files.write(
        overlays.resolve(OVERLAY + ".jsonl"),
        List.of(
            // a correction of an existing record, with provenance
            "{\"id\":\"davidson:1\",\"category\":\"hate\",\"action\":\"add\",\"source\":\"annotation\",\"item\":\"it-1\","
                + "\"annotators\":3,\"agreement\":0.667,\"reviewer\":\"admin\",\"reason\":\"adjudicated\"}",
            // a new text from traffic
            "{\"record\":\"text\",\"item\":\"it-2\",\"text\":\"Place your bets now &amp; win big at the online casino tonight\","
                + "\"categories\":[\"gambling\"],\"source\":\"annotation\",\"annotators\":2,\"agreement\":1.0}",
            // a near-duplicate of an existing text (case, punctuation): same group, same split
            DatasetVersion.mapper()
                .writeValueAsString(
                    Map.of(
                        "record",
                        "text",
                        "item",
                        "it-3",
                        "text",
                        existing.text() + " !!",
                        "categories",
                        List.of(),
                        "source",
                        "annotation",
                        "annotators",
                        2,
                        "agreement",
                        0.5)),
            // a new host from a root URL
            "{\"record\":\"url\",\"item\":\"it-4\",\"url\":\"https://New-Casino.example.com/\",\"categories\":[\"gambling\"],"
                + "\"source\":\"annotation\",\"annotators\":2,\"agreement\":1.0}",
            // refused: a page URL without applies_to host; missing provenance; a review line cannot
            // add records
            "{\"record\":\"url\",\"item\":\"it-5\",\"url\":\"https://video.example.com/watch?v=1\",\"categories\":[\"adult\"],"
                + "\"source\":\"annotation\",\"annotators\":2,\"agreement\":1.0}",
            "{\"id\":\"davidson:2\",\"category\":\"hate\",\"action\":\"add\",\"source\":\"annotation\",\"annotators\":2}",
            "{\"record\":\"text\",\"item\":\"it-6\",\"text\":\"x\",\"categories\":[]}"));

    DatasetBuilder.Result after =
        new DatasetBuilder(Fixtures.options(datasets, overlays, "test-seed", 0.5), System.err)
            .build();
    assertThat(after.ok()).isTrue();
    assertThat(after.versionId()).isNotEqualTo(before.versionId());
    DatasetVersion v = DatasetVersion.open(after.versionDir());

    TextRecord corrected =
        v.texts().stream().filter(t -> t.id().equals("davidson:1")).findFirst().orElseThrow();
    assertThat(corrected.labels()).contains("hate");
    assertThat(corrected.meta()).containsEntry("overlay", OVERLAY);

    TextRecord fresh =
        v.texts().stream().filter(t -> t.id().equals("annotation:it-2")).findFirst().orElseThrow();
    assertThat(fresh.source()).isEqualTo("annotation");
    assertThat(fresh.text())
        .as("cleaned like every source")
        .isEqualTo("Place your bets now & win big at the online casino tonight");
    assertThat(fresh.labels()).containsExactly("gambling");
    assertThat(fresh.labelScope()).containsExactly("*");
    assertThat(fresh.meta())
        .containsEntry("annotators", "2")
        .containsEntry("agreement", "1.0")
        .containsEntry("overlay", OVERLAY);
    assertThat(fresh.group())
        .isEqualTo("text:" + Sha256.of(TextCleaner.dedupKey(fresh.text())).substring(0, 16));
    assertThat(fresh.split()).isEqualTo(new Splitter("test-seed").split(fresh.group()).id());

    TextRecord nearCopy =
        v.texts().stream().filter(t -> t.id().equals("annotation:it-3")).findFirst().orElseThrow();
    assertThat(nearCopy.labels()).isEmpty();
    if (existing.group().startsWith("text:")) {
      assertThat(nearCopy.group()).isEqualTo(existing.group());
      assertThat(nearCopy.split()).isEqualTo(existing.split());
    }

    DomainRecord host =
        v.domains().stream()
            .filter(d -> d.host().equals("new-casino.example.com"))
            .findFirst()
            .orElseThrow();
    assertThat(host.labels()).containsExactly("gambling");
    assertThat(host.sources()).containsKey("overlay/" + OVERLAY);
    assertThat(host.split())
        .isEqualTo(new Splitter("test-seed").split(host.registeredDomain()).id());
    assertThat(v.domains()).noneMatch(d -> d.host().equals("video.example.com"));

    JsonNode annotation = v.manifest().path("annotation").path(OVERLAY);
    assertThat(annotation.path("items").asLong()).isEqualTo(4);
    assertThat(annotation.path("labels").asLong()).isEqualTo(3);
    assertThat(annotation.path("corrections").asLong()).isEqualTo(1);
    assertThat(annotation.path("new_texts").asLong()).isEqualTo(2);
    assertThat(annotation.path("url_records").asLong()).isEqualTo(1);
    assertThat(annotation.path("annotators_mean").asDouble()).isEqualTo(2.25);
    assertThat(annotation.path("agreement_mean").asDouble()).isEqualTo(0.792);
    assertThat(annotation.path("agreement_min").asDouble()).isEqualTo(0.5);
    assertThat(annotation.path("low_agreement_items").asLong()).isEqualTo(1);

    String card = Files.readString(v.dir().resolve("data-card.md"), StandardCharsets.UTF_8);
    assertThat(card)
        .contains(
            "Labels from annotation",
            "`" + OVERLAY + "`",
            "Labels from annotation in this version: 3.");
    assertThat(card).containsPattern("label overlays \\| .*`" + OVERLAY + "`");

    JsonNode report =
        DatasetVersion.mapper().readTree(v.dir().resolve("build-report.json").toFile());
    assertThat(report.path("invalid_examples").toString())
        .contains(
            "url_record_names_a_page_not_a_host",
            "annotation_needs_agreement_0_to_1",
            "new_record_needs_source_annotation");
  }

  @Test
  void provenanceIsCheckedLineByLine(@TempDir Path tmp) throws Exception {
    Files.write(
        tmp.resolve("a.jsonl"),
        List.of(
            "{\"host\":\"a.example.com\",\"category\":\"gambling\",\"action\":\"add\"}",
            "{\"host\":\"b.example.com\",\"category\":\"gambling\",\"action\":\"add\",\"source\":\"annotation\",\"annotators\":0,\"agreement\":1}",
            "{\"host\":\"c.example.com\",\"category\":\"gambling\",\"action\":\"add\",\"source\":\"annotation\",\"annotators\":1,\"agreement\":1.5}",
            "{\"host\":\"d.example.com\",\"category\":\"gambling\",\"action\":\"add\",\"source\":\"crowd\",\"annotators\":1,\"agreement\":1}",
            "{\"host\":\"e.example.com\",\"category\":\"gambling\",\"action\":\"add\",\"source\":\"annotation\",\"annotators\":4,\"agreement\":0.75,\"item\":\"q 1\"}",
            "{\"host\":\"f.example.com\",\"category\":\"gambling\",\"action\":\"add\",\"source\":\"annotation\",\"annotators\":4,\"agreement\":0.75}"));
    BuildReport report = new BuildReport();
    Overlays o = Overlays.load(tmp, report);
    assertThat(o.corrections())
        .extracting(Overlays.Correction::key)
        .containsExactly("a.example.com", "f.example.com");
    assertThat(o.corrections().get(0).provenance()).isEqualTo(Overlays.Provenance.REVIEW);
    assertThat(o.corrections().get(1).provenance().annotators()).isEqualTo(4);
    assertThat(o.annotation()).containsOnlyKeys("a");
    assertThat(DatasetVersion.mapper().valueToTree(report.examples()).toString())
        .contains(
            "annotation_needs_annotators_at_least_1",
            "annotation_needs_agreement_0_to_1",
            "source_not_review_or_annotation",
            "item_not_1_to_128");
  }
}
