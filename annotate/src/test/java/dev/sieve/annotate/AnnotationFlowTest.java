package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.annotate.Accounts.Account;
import dev.sieve.annotate.Accounts.Role;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.lab.data.Overlays;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.proto.v1.OverrideSet;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.proto.v1.WatchOverridesRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole loop at the service level, on SQLite and on PostgreSQL (same migrations): import,
 * batch, two annotators, agreement, adjudication, overlay export read back by lab's Overlays,
 * reports through the real Feedback gRPC server, overrides pushed to a watcher and expired.
 */
class AnnotationFlowTest {

  @TempDir Path tmp;

  static final String BATCH =
      String.join(
          "\n",
          "{\"id\":1,\"dataset_host\":\"casino-royal.com\",\"url\":\"https://casino-royal.com/\",\"labels\":[\"gambling\"],\"categories\":{\"gambling\":{\"score\":0.55,\"decision\":true},\"adult\":{\"score\":0.1,\"decision\":false}},\"primary_category\":\"gambling\"}",
          "{\"id\":2,\"url\":\"https://news.example.org/story\",\"text\":\"A calm article about local schools and their sports teams this season.\",\"categories\":{\"gambling\":{\"score\":0.45,\"decision\":false},\"violence\":{\"score\":0.5,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":3,\"url\":\"https://news.example.org/story?utm=1\",\"categories\":{\"gambling\":{\"score\":0.45,\"decision\":false}},\"primary_category\":\"\"}",
          "{\"id\":4,\"url\":\"https://x.example/\",\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"bad\"}}",
          "{\"id\":5,\"url\":\"https://y.example/\",\"degraded\":true,\"categories\":{\"adult\":{\"score\":0.5,\"decision\":false}}}",
          "not json");

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void labelAdjudicateExportAndFeedback(String backend) throws Exception {
    Backends.MutableClock clock = new Backends.MutableClock();
    Path overlays = tmp.resolve("overlays");
    try (AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                Backends.open(backend, tmp), overlays, null, "127.0.0.1", 0, 0, 2, false, clock))) {
      // First admin: printed once, stored hashed; a second start creates nothing.
      String pw = app.bootstrapAdmin("admin").orElseThrow();
      assertThat(app.bootstrapAdmin("admin")).isEmpty();
      assertThat(
              app.db()
                  .one("SELECT password_hash FROM accounts", rs -> rs.getString(1))
                  .orElseThrow())
          .startsWith("$argon2id$")
          .doesNotContain(pw);
      assertThat(app.accounts().login("admin", pw)).isPresent();
      assertThat(app.accounts().login("admin", pw + "x")).isEmpty();
      Account admin = app.accounts().byName("admin").orElseThrow();
      Account ann1 = app.accounts().create("ann1", "correct horse battery", Role.ANNOTATOR, null);
      Account ann2 = app.accounts().create("ann2", "correct horse battery", Role.ANNOTATOR, null);

      var imported = app.queues().importBatchOutput(new BufferedReader(new StringReader(BATCH)));
      assertThat(imported.added()).isEqualTo(2);
      assertThat(imported.duplicates()).isEqualTo(1); // same host+path, other query string
      assertThat(imported.skipped()).isEqualTo(2); // the error line and the degraded verdict
      assertThat(imported.malformed()).isEqualTo(1);

      var batch =
          app.queues()
              .drawBatch(
                  new Queues.BatchSpec("b1", 2, Map.of("uncertainty", 1.0), 2, Map.of(), 42),
                  "admin");
      assertThat(batch.drawn().get("uncertainty")).isEqualTo(2);
      List<Item> queued =
          app.db()
              .query("SELECT " + Item.COLUMNS + " FROM items WHERE state = 'queued'", Item::map);
      assertThat(queued)
          .allSatisfy(
              i -> {
                assertThat(i.samplingRule()).startsWith("uncertainty");
                assertThat(i.inclusionProbability()).isEqualTo(1.0); // 2 of 2 candidates
              });

      // Both annotators label both items: they agree on the casino host, disagree on the news page.
      for (Account a : List.of(ann1, ann2)) {
        for (int n = 0; n < 2; n++) {
          Item next = app.labelling().next(a).orElseThrow();
          boolean casino = next.key().equals("casino-royal.com");
          Set<String> answer =
              casino ? Set.of("gambling", "adult") : a == ann1 ? Set.of() : Set.of("violence");
          app.labelling().submit(a, next.id(), answer, false, "");
        }
        assertThat(app.labelling().next(a)).isEmpty();
      }
      assertThatThrownBy(
              () ->
                  app.labelling()
                      .submit(ann1, queued.get(0).id(), Set.of("not_a_category"), false, ""))
          .isInstanceOf(IllegalArgumentException.class);
      List<Item> disputed = app.labelling().needingAdjudication();
      assertThat(disputed).hasSize(1);
      assertThat(disputed.get(0).url()).isEqualTo("https://news.example.org/story");
      assertThatThrownBy(() -> app.labelling().adjudicate(ann1, disputed.get(0).id(), Set.of(), ""))
          .isInstanceOf(SecurityException.class);
      app.labelling().adjudicate(admin, disputed.get(0).id(), Set.of(), "a school sports article");
      assertThat(app.labelling().needingAdjudication()).isEmpty();

      var export = app.export().export(admin);
      assertThat(export.items()).isEqualTo(2);
      assertThat(export.corrections())
          .isEqualTo(1); // casino-royal.com: add adult (gambling was already there)
      assertThat(export.trafficRecords()).isEqualTo(1);
      assertThat(export.overlayFile().getFileName().toString())
          .matches("annotate-0001-[0-9a-f]{12}\\.jsonl");
      assertThat(export.overlayFile().getFileName().toString())
          .contains(export.sha256().substring(0, 12));
      BuildReport report = new BuildReport();
      Overlays loaded = Overlays.load(overlays, report);
      assertThat(loaded.corrections()).hasSize(1);
      Overlays.Correction c = loaded.corrections().get(0);
      assertThat(c.key()).isEqualTo("casino-royal.com");
      assertThat(c.isHost()).isTrue();
      assertThat(c.category()).isEqualTo("adult");
      assertThat(c.add()).isTrue();
      assertThat(c.reviewer()).contains("ann1").contains("ann2");
      // The news page (traffic, with text) is a new text record of the same overlay, which the
      // build applies: its final (adjudicated) answer "nothing applies" is a negative for all.
      assertThat(export.skipped()).isEmpty();
      assertThat(loaded.newTexts())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.text()).startsWith("A calm article");
                assertThat(t.categories()).isEmpty();
                assertThat(t.provenance().annotators()).isEqualTo(2);
                assertThat(t.provenance().agreement()).isEqualTo(0.5); // ann1 matched, ann2 not
              });
      assertThat(Files.readString(export.overlayFile()))
          .contains("\"record\":\"text\"")
          .contains("\"url\":\"https://news.example.org/story\"")
          .contains("\"adjudicated\":true");
      assertThat(overlays.resolve("traffic")).doesNotExist();
      // Nothing new: a second export writes no file.
      assertThat(app.export().export(admin).items()).isZero();

      // Agreement: perfect on gambling/adult for the casino item, split on violence.
      var fleiss =
          Agreement.fleissPerCategory(Agreement.sureAnswers(app.db()), Taxonomy.v1().ids());
      assertThat(
              fleiss.stream()
                  .filter(k -> k.category().equals("gambling"))
                  .findFirst()
                  .orElseThrow()
                  .kappa())
          .isEqualTo(1.0);

      // Reports through the real gRPC server.
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext().build();
      try {
        var stub = FeedbackGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        FeedbackReport report1 =
            FeedbackReport.newBuilder()
                .setReport(
                    ReportVerdictRequest.newBuilder()
                        .setUrl("https://www.khanacademy.org/science")
                        .setTenantId("district-a")
                        .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK)
                        .setReportId("r-1")
                        .setReporterRole("teacher")
                        .setNote("biology class"))
                .setServedAction("BLOCK")
                .build();
        ReportVerdictResponse first = stub.submitReport(report1);
        assertThat(first.getQueued()).isTrue();
        assertThat(first.getReportId()).isEqualTo("r-1");
        assertThat(stub.submitReport(report1).getQueued()).isFalse(); // idempotent on report_id
        ReportVerdictResponse again =
            stub.submitReport(
                report1.toBuilder()
                    .setReport(report1.getReport().toBuilder().setReportId("r-2"))
                    .build());
        assertThat(again.getQueued())
            .isFalse(); // collapsed into the open item of the same tenant and URL
        Item reported = app.labelling().next(ann1).orElseThrow();
        assertThat(reported.tenantId()).isEqualTo("district-a");
        assertThat(reported.queue()).isEqualTo("report");
        assertThat(reported.inclusionProbability()).isEqualTo(1.0);
        assertThat(reported.reportCount()).isEqualTo(2);
        assertThatThrownBy(
                () ->
                    stub.submitReport(
                        FeedbackReport.newBuilder()
                            .setReport(
                                ReportVerdictRequest.newBuilder()
                                    .setKind(ReportVerdictRequest.Kind.KIND_SHOULD_BLOCK))
                            .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(
                () ->
                    stub.submitReport(
                        FeedbackReport.newBuilder()
                            .setReport(
                                ReportVerdictRequest.newBuilder()
                                    .setUrl("https://a.example/")
                                    .setKind(ReportVerdictRequest.Kind.KIND_SHOULD_BLOCK)
                                    .setNote("x".repeat(3000)))
                            .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        // Overrides: the watcher gets the current set, then each change with a higher revision.
        LinkedBlockingQueue<OverrideSet> sets = new LinkedBlockingQueue<>();
        FeedbackGrpc.newStub(channel)
            .watchOverrides(
                WatchOverridesRequest.newBuilder().setWatcher("test-router").build(),
                new StreamObserver<>() {
                  @Override
                  public void onNext(OverrideSet value) {
                    sets.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
        OverrideSet initial = sets.poll(10, TimeUnit.SECONDS);
        assertThat(initial).isNotNull();
        assertThat(initial.getOverridesList()).isEmpty();
        Account teacherA =
            app.accounts().create("teacher-a", "correct horse battery", Role.TEACHER, "district-a");
        Account teacherB =
            app.accounts().create("teacher-b", "correct horse battery", Role.TEACHER, "district-b");
        var allow =
            app.overrides()
                .create(
                    teacherA,
                    null,
                    "https://www.khanacademy.org/science",
                    "allow",
                    Duration.ofHours(2),
                    "biology lesson");
        OverrideSet afterCreate = sets.poll(10, TimeUnit.SECONDS);
        assertThat(afterCreate.getRevision()).isGreaterThan(initial.getRevision());
        assertThat(afterCreate.getOverridesList())
            .singleElement()
            .satisfies(
                o -> {
                  assertThat(o.getTenantId()).isEqualTo("district-a");
                  assertThat(o.getHost()).isEqualTo("www.khanacademy.org");
                  assertThat(o.getEffect()).isEqualTo(HostOverride.Effect.EFFECT_ALLOW);
                  assertThat(o.getCreatedBy()).isEqualTo("teacher-a");
                  assertThat(o.getExpiresAtMs() - o.getCreatedAtMs())
                      .isEqualTo(Duration.ofHours(2).toMillis());
                });
        // Tenant isolation: teacher B neither sees, revokes nor creates for district-a.
        assertThat(app.overrides().list(teacherB)).isEmpty();
        assertThat(app.overrides().revoke(teacherB, allow.id())).isFalse();
        assertThatThrownBy(
                () ->
                    app.overrides()
                        .create(
                            teacherB,
                            "district-a",
                            "evil.example",
                            "block",
                            Duration.ofHours(1),
                            "x"))
            .isInstanceOf(SecurityException.class);
        assertThat(app.labelling().item(reported.id(), teacherB)).isEmpty();
        assertThat(app.labelling().item(reported.id(), teacherA)).isPresent();
        assertThat(app.labelling().tenantItems("district-b")).isEmpty();

        var block =
            app.overrides()
                .create(
                    admin,
                    "district-b",
                    "games.example",
                    "block",
                    Duration.ofMinutes(30),
                    "exam week");
        OverrideSet afterSecond = sets.poll(10, TimeUnit.SECONDS);
        assertThat(afterSecond.getOverridesCount()).isEqualTo(2);
        assertThat(app.overrides().revoke(teacherA, allow.id())).isTrue();
        OverrideSet afterRevoke = sets.poll(10, TimeUnit.SECONDS);
        assertThat(afterRevoke.getRevision()).isGreaterThan(afterSecond.getRevision());
        assertThat(afterRevoke.getOverridesList())
            .extracting(HostOverride::getId)
            .containsExactly(block.id());
        // Expiry: past its time the override leaves the set without anyone acting (the sweeper).
        clock.advance(Duration.ofMinutes(31));
        OverrideSet afterExpiry = sets.poll(10, TimeUnit.SECONDS);
        assertThat(afterExpiry).as("a push after expiry").isNotNull();
        assertThat(afterExpiry.getOverridesList()).isEmpty();
        assertThat(afterExpiry.getRevision()).isGreaterThan(afterRevoke.getRevision());
        assertThat(
                app.db()
                    .one(
                        "SELECT COUNT(*) FROM audit WHERE action LIKE 'override.%'",
                        rs -> rs.getLong(1))
                    .orElseThrow())
            .isEqualTo(3);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void reviewQueueItemsCorrectOnlyTheirCategoryAndBatchesRespectBudgetsAndNearDuplicates(
      String backend) throws Exception {
    Backends.MutableClock clock = new Backends.MutableClock();
    Path overlays = tmp.resolve("overlays");
    try (AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                Backends.open(backend, tmp), overlays, null, "127.0.0.1", 0, 0, 2, false, clock))) {
      app.bootstrapAdmin("admin");
      Account admin = app.accounts().byName("admin").orElseThrow();
      String review =
          String.join(
              "\n",
              "{\"dataset_version\":\"ds-x\",\"category\":\"adult\",\"rank\":1,\"id\":\"safety/rtp:flirtation:3\",\"given\":1,\"score\":0.02,\"margin\":0.96,\"suggested\":\"remove\",\"context\":\"rtp: some crude words\",\"decision\":\"\",\"reviewer\":\"\",\"reason\":\"\"}",
              "{\"dataset_version\":\"ds-x\",\"category\":\"gambling\",\"rank\":1,\"host\":\"poker.example\",\"given\":0,\"score\":0.97,\"margin\":0.94,\"suggested\":\"add\",\"context\":\"opendns\",\"decision\":\"\",\"reviewer\":\"\",\"reason\":\"\"}");
      assertThat(
              app.queues().importReviewQueue(new BufferedReader(new StringReader(review))).added())
          .isEqualTo(2);
      var drawn =
          app.queues()
              .drawBatch(
                  new Queues.BatchSpec("r", 2, Map.of("review", 1.0), 1, Map.of(), 1), "admin");
      assertThat(drawn.drawn().get("review")).isEqualTo(2);
      Item adultItem =
          app.db()
              .one(
                  "SELECT " + Item.COLUMNS + " FROM items WHERE focus_category = 'adult'",
                  Item::map)
              .orElseThrow();
      assertThat(adultItem.sensitive()).isTrue(); // blurred with a content warning
      for (int i = 0; i < 2; i++) {
        Item next = app.labelling().next(admin).orElseThrow();
        // The reviewer agrees with both suggestions, and also ticks an unrelated category that must
        // not be exported.
        app.labelling()
            .submit(
                admin,
                next.id(),
                next.focusCategory().equals("adult") ? Set.of("violence") : Set.of("gambling"),
                false,
                "");
      }
      var export = app.export().export(admin);
      BuildReport report = new BuildReport();
      var corrections = Overlays.load(overlays, report).corrections();
      assertThat(corrections)
          .extracting(c -> c.key() + " " + c.category() + " " + c.add())
          .containsExactlyInAnyOrder(
              "safety/rtp:flirtation:3 adult false", "poker.example gambling true");
      assertThat(export.corrections()).isEqualTo(2);

      // Budgets and near-duplicates.
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        many.append("{\"url\":\"https://g")
            .append(i)
            .append(
                ".example/\",\"categories\":{\"gambling\":{\"score\":0.6}},\"primary_category\":\"gambling\"}\n");
      }
      String text =
          "Students should bring their permission slips for the museum trip next Friday morning at eight";
      many.append("{\"url\":\"https://t1.example/\",\"text\":\"")
          .append(text)
          .append("\",\"categories\":{\"drugs\":{\"score\":0.5}},\"primary_category\":\"\"}\n");
      many.append("{\"url\":\"https://t2.example/\",\"text\":\"")
          .append(text)
          .append(".\",\"categories\":{\"drugs\":{\"score\":0.5}},\"primary_category\":\"\"}\n");
      app.queues().importBatchOutput(new BufferedReader(new StringReader(many.toString())));
      var b =
          app.queues()
              .drawBatch(
                  new Queues.BatchSpec(
                      "b", 32, Map.of("uncertainty", 1.0), 2, Map.of("gambling", 5), 3),
                  "admin");
      assertThat(b.drawn().get("uncertainty"))
          .isEqualTo(6); // 5 gambling + 1 of the two near-identical texts
      assertThat(b.overBudget()).isEqualTo(25);
      assertThat(b.nearDuplicates()).isEqualTo(1);
    }
  }
}
