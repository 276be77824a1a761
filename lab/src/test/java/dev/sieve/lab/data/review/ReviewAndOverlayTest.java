package dev.sieve.lab.data.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Confident-learning review queue, and reviewed corrections coming back as a versioned overlay. */
class ReviewAndOverlayTest {

  @Test
  void ranksConfidentDisagreementsAndIgnoresOutOfScopeRecords(@TempDir Path tmp) throws Exception {
    Path datasets = tmp.resolve("datasets");
    Fixtures.build(datasets);
    DatasetVersion v = DatasetVersion.current(datasets);
    Path scores = tmp.resolve("scores.jsonl");
    Files.write(
        scores,
        List.of(
            // gambling positives: two confident, one the model strongly disagrees with
            "{\"host\":\"casino-royal.com\",\"category\":\"gambling\",\"score\":0.95}",
            "{\"host\":\"www.casino-royal.com\",\"category\":\"gambling\",\"score\":0.9}",
            "{\"host\":\"hosts-style.com\",\"category\":\"gambling\",\"score\":0.02}",
            // background (scope *): negatives, one that looks very much like gambling
            "{\"host\":\"wikipedia.org\",\"category\":\"gambling\",\"score\":0.05}",
            "{\"host\":\"randomsite.net\",\"category\":\"gambling\",\"score\":0.97}",
            "{\"host\":\"www.example.org\",\"category\":\"gambling\",\"score\":0.1}",
            // out of scope: a proxy host says nothing about gambling
            "{\"host\":\"proxy.example.net\",\"category\":\"gambling\",\"score\":0.99}",
            // texts: the offensive Davidson tweet scored as hate
            "{\"id\":\"davidson:0\",\"category\":\"hate\",\"score\":0.9}",
            "{\"id\":\"davidson:1\",\"category\":\"hate\",\"score\":0.95}",
            "{\"id\":\"davidson:2\",\"category\":\"hate\",\"score\":0.01}",
            "{\"id\":\"no-such-record\",\"category\":\"hate\",\"score\":0.5}",
            "not json"));
    Path review = tmp.resolve("review.jsonl");
    ReviewQueue.Result r = ReviewQueue.run(v, scores, review, 10);
    assertThat(r.outOfScope()).isEqualTo(1);
    assertThat(r.unmatchedScores()).isEqualTo(1);
    assertThat(r.malformed()).isEqualTo(1);
    ReviewQueue.Summary gambling =
        r.summaries().stream()
            .filter(s -> s.category().equals("gambling"))
            .findFirst()
            .orElseThrow();
    assertThat(gambling.positives()).isEqualTo(3);
    assertThat(gambling.negatives()).isEqualTo(3);
    assertThat(gambling.suspectedRemove()).isEqualTo(1);
    assertThat(gambling.suspectedAdd()).isEqualTo(1);
    List<String> lines = Files.readAllLines(review);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .contains("\"host\":\"hosts-style.com\"")
        .contains("\"suggested\":\"remove\"")
        .contains("\"rank\":1");
    assertThat(lines.get(1))
        .contains("\"host\":\"randomsite.net\"")
        .contains("\"suggested\":\"add\"");
    assertThat(lines.get(2)).contains("\"id\":\"davidson:1\"").contains("\"suggested\":\"add\"");
  }

  @Test
  void reviewedDecisionsBecomeAnOverlayThatTheNextBuildApplies(@TempDir Path tmp) throws Exception {
    Path datasets = tmp.resolve("datasets");
    Path overlays = tmp.resolve("overlays");
    DatasetBuilder.Result before =
        new DatasetBuilder(Fixtures.options(datasets, overlays, "test-seed", 0.5), System.err)
            .build();
    Path review = tmp.resolve("review.jsonl");
    Files.write(
        review,
        List.of(
            "{\"category\":\"gambling\",\"host\":\"hosts-style.com\",\"decision\":\"remove\",\"reviewer\":\"qa\",\"reason\":\"ad host\",\"dataset_version\":\""
                + before.versionId()
                + "\"}",
            "{\"category\":\"hate\",\"id\":\"davidson:2\",\"decision\":\"keep\"}",
            "{\"category\":\"gambling\",\"host\":\"randomsite.net\",\"decision\":\"\"}",
            "{\"category\":\"hate\",\"id\":\"davidson:1\",\"decision\":\"add\",\"reviewer\":\"qa\",\"reason\":\"slur\"}"));
    OverlayWriter.Result w = OverlayWriter.write(review, overlays.resolve("2025-11-review.jsonl"));
    assertThat(w.corrections()).isEqualTo(2);
    assertThat(w.kept()).isEqualTo(1);
    assertThat(w.undecided()).isEqualTo(1);

    DatasetBuilder.Result after =
        new DatasetBuilder(Fixtures.options(datasets, overlays, "test-seed", 0.5), System.err)
            .build();
    assertThat(after.versionId()).isNotEqualTo(before.versionId());
    DatasetVersion v = DatasetVersion.open(after.versionDir());
    assertThat(v.manifest().path("overlays").has("overlays/2025-11-review.jsonl")).isTrue();
    DomainRecord host =
        v.domains().stream()
            .filter(d -> d.host().equals("hosts-style.com"))
            .findFirst()
            .orElseThrow();
    assertThat(host.labels()).isEmpty();
    assertThat(host.flags()).contains("overlay:2025-11-review", "overlay_removed:gambling");
    assertThat(host.sources()).containsKey("blocklistproject/gambling");
    TextRecord tweet =
        v.texts().stream().filter(t -> t.id().equals("davidson:1")).findFirst().orElseThrow();
    assertThat(tweet.labels()).containsExactly("hate");
    assertThat(tweet.meta()).containsEntry("overlay", "2025-11-review");
    // the raw fixture is untouched: the previous version is still reproducible without the overlay
    Files.delete(overlays.resolve("2025-11-review.jsonl"));
    DatasetBuilder.Result again =
        new DatasetBuilder(
                Fixtures.options(tmp.resolve("again"), overlays, "test-seed", 0.5), System.err)
            .build();
    assertThat(again.versionId()).isEqualTo(before.versionId());
  }
}
