package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.annotate.Accounts.Account;
import dev.sieve.annotate.Accounts.Role;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.io.Progress;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic items (kind url) reach the data: the app exports adjudicated traffic items as the build's
 * {@code record} lines, lab's DatasetBuilder (what {@code ./sieve data build} runs) applies them to
 * lab's small fixture raw tree, and the new version holds the records while its data card names the
 * overlay and counts the annotation labels and their agreement. Items that cannot become a record
 * are named in the export result, not dropped.
 */
class TrafficOverlayExportTest {

  @TempDir Path tmp;

  /**
   * Five traffic items: a page with text, a root URL, a page URL without text, a clean root nothing
   * was served for, and a "wrong block" of a site the dataset labels gambling.
   */
  static final String TRAFFIC =
      String.join(
          "\n",
          "{\"id\":1,\"url\":\"https://pics.example/gallery\",\"text\":\"Members only gallery. Explicit pictures for adults, every night.\",\"categories\":{\"adult\":{\"score\":0.48,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":2,\"url\":\"https://new-casino.example.com/\",\"categories\":{\"gambling\":{\"score\":0.5,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":3,\"url\":\"https://video.example.net/watch?v=1\",\"categories\":{\"violence\":{\"score\":0.5,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":4,\"url\":\"https://quiet-library.example.org/\",\"categories\":{\"news\":{\"score\":0.3,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":5,\"url\":\"https://casino-royal.com/\",\"categories\":{\"gambling\":{\"score\":0.9,\"decision\":true}},\"primary_category\":\"gambling\"}");

  @Test
  void adjudicatedTrafficItemsBecomeRecordsOfANewDatasetVersion() throws Exception {
    Backends.MutableClock clock = new Backends.MutableClock();
    Path overlays = tmp.resolve("overlays");
    OverlayExport.Result export;
    try (AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                Backends.open("sqlite", tmp),
                overlays,
                null,
                "127.0.0.1",
                0,
                0,
                2,
                false,
                clock))) {
      app.bootstrapAdmin("admin").orElseThrow();
      Account admin = app.accounts().byName("admin").orElseThrow();
      Account ann1 = app.accounts().create("ann1", "correct horse battery", Role.ANNOTATOR, null);
      Account ann2 = app.accounts().create("ann2", "correct horse battery", Role.ANNOTATOR, null);
      var imported = app.queues().importBatchOutput(new BufferedReader(new StringReader(TRAFFIC)));
      assertThat(imported.added()).isEqualTo(5);
      app.queues()
          .drawBatch(
              new Queues.BatchSpec("t1", 5, Map.of("uncertainty", 1.0), 2, Map.of(), 7), "admin");
      // ann1 and ann2 agree everywhere except the gallery, where ann2 also says sex_education.
      Map<String, Set<String>> answers =
          Map.of(
              "pics.example", Set.of("adult"),
              "new-casino.example.com", Set.of("gambling"),
              "video.example.net", Set.of("violence"),
              "quiet-library.example.org", Set.of(),
              "casino-royal.com", Set.of());
      for (Account a : List.of(ann1, ann2)) {
        for (int n = 0; n < 5; n++) {
          Item next = app.labelling().next(a).orElseThrow();
          String host = URI.create(next.url()).getHost();
          Set<String> answer =
              a == ann2 && host.equals("pics.example")
                  ? Set.of("adult", "sex_education")
                  : answers.get(host);
          app.labelling().submit(a, next.id(), answer, false, "");
        }
      }
      Item disputed = app.labelling().needingAdjudication().stream().findFirst().orElseThrow();
      app.labelling().adjudicate(admin, disputed.id(), Set.of("adult"), "explicit, not education");

      export = app.export().export(admin);
      assertThat(export.items()).isEqualTo(5);
      assertThat(export.corrections()).as("casino-royal.com: remove gambling").isEqualTo(1);
      assertThat(export.trafficRecords()).isEqualTo(2);
      assertThat(export.skipped())
          .extracting(OverlayExport.Skipped::url, OverlayExport.Skipped::why)
          .containsExactlyInAnyOrder(
              Tuple.tuple("https://video.example.net/watch?v=1", "page_url_without_text"),
              Tuple.tuple("https://quiet-library.example.org/", "clean_host_without_text"));
      // Named in the exports table and the audit log too.
      assertThat(app.export().list().get(0)[6]).isEqualTo("2");
      assertThat(app.export().list().get(0)[7]).contains("video.example.net", "quiet-library");
      assertThat(
              app.db()
                  .one("SELECT detail FROM audit WHERE action = 'export'", rs -> rs.getString(1))
                  .orElseThrow())
          .contains("2 items not exportable", "page_url_without_text");
    }

    String overlayId = export.overlayFile().getFileName().toString().replace(".jsonl", "");
    Path fixtures = Path.of("../lab/src/test/resources/fixtures");
    Progress.setQuiet(true);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    var before = build(fixtures, Files.createDirectories(tmp.resolve("none")), "before", quiet);
    var after = build(fixtures, overlays, "after", quiet);
    assertThat(after.ok()).as("build with the overlay: %s", after.budgetViolations()).isTrue();
    assertThat(after.versionId()).isNotEqualTo(before.versionId());
    DatasetVersion v = DatasetVersion.open(after.versionDir());

    TextRecord gallery =
        v.texts().stream().filter(t -> t.source().equals("annotation")).findFirst().orElseThrow();
    assertThat(gallery.text()).contains("Explicit pictures");
    assertThat(gallery.labels()).containsExactly("adult");
    assertThat(gallery.labelScope()).containsExactly("*");
    assertThat(gallery.meta())
        .containsEntry("overlay", overlayId)
        .containsEntry("annotators", "2")
        .containsEntry("agreement", "0.5");
    DomainRecord casino =
        v.domains().stream()
            .filter(d -> d.host().equals("new-casino.example.com"))
            .findFirst()
            .orElseThrow();
    assertThat(casino.labels()).containsExactly("gambling");
    // The wrong block reached the data: the site's gambling label (from the fixture's blocklist)
    // is removed by the annotators' correction.
    assertThat(
            DatasetVersion.open(before.versionDir()).domains().stream()
                .filter(d -> d.host().equals("casino-royal.com"))
                .findFirst()
                .orElseThrow()
                .labels())
        .contains("gambling");
    assertThat(
            v.domains().stream()
                .filter(d -> d.host().equals("casino-royal.com"))
                .findFirst()
                .orElseThrow()
                .labels())
        .doesNotContain("gambling");
    assertThat(v.domains())
        .noneMatch(d -> d.host().equals("video.example.net"))
        .noneMatch(d -> d.host().equals("quiet-library.example.org"));

    JsonNode annotation = v.manifest().path("annotation").path(overlayId);
    assertThat(annotation.path("new_texts").asLong()).isEqualTo(1);
    assertThat(annotation.path("url_records").asLong()).isEqualTo(1);
    assertThat(annotation.path("corrections").asLong()).isEqualTo(1);
    assertThat(annotation.path("labels").asLong()).isEqualTo(3);
    // per line: gallery 0.5 (one of two matched the adjudicated answer), new casino 1, removal 1
    assertThat(annotation.path("agreement_mean").asDouble()).isCloseTo(0.833, within(0.0005));
    assertThat(annotation.path("agreement_min").asDouble()).isEqualTo(0.5);
    String card = Files.readString(v.dir().resolve("data-card.md"), StandardCharsets.UTF_8);
    assertThat(card)
        .contains(
            "`" + overlayId + "`", "Labels from annotation in this version: 3.", "0.833 / 0.500");
    JsonNode report =
        DatasetVersion.mapper().readTree(v.dir().resolve("build-report.json").toFile());
    assertThat(report.path("invalid_examples").toString()).doesNotContain(overlayId);
  }

  private DatasetBuilder.Result build(Path fixtures, Path overlays, String out, PrintStream quiet)
      throws Exception {
    return new DatasetBuilder(
            new DatasetBuilder.Options(
                fixtures.resolve("raw"),
                tmp.resolve("ds-" + out),
                fixtures.resolve("mapping.tsv"),
                overlays,
                "test-seed",
                0.5,
                0,
                true),
            quiet)
        .build();
  }
}
