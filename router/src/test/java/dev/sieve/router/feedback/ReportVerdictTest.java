package dev.sieve.router.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ShortNames;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportVerdict through the router (in-process), with the annotation app played by {@link
 * FakeFeedbackService} (a test double of a peer built in parallel in module {@code annotate/}).
 */
class ReportVerdictTest {

  @TempDir Path dir;

  private static FakeTier urlTier() {
    return new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.9));
  }

  private RouterHarness harness(FeedbackSettings settings, FakeFeedbackService app) {
    return RouterHarness.builder()
        .tier(TierName.URL, urlTier())
        .feedback(settings, app == null ? null : app.channel)
        .build();
  }

  private static ReportVerdictRequest.Builder report() {
    return ReportVerdictRequest.newBuilder()
        .setTenantId("school-1")
        .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK)
        .setReporterRole("teacher");
  }

  @Test
  void aReportIsForwardedWithTheVerdictTheRouterServedForItsRequestId() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(FeedbackSettings.none(), app)) {
      ClassifyResponse served =
          h.classify(
              ClassifyRequest.newBuilder()
                  .setTenantId("school-1")
                  .setRequestId("req-1")
                  .setUrl("https://Casino.example/play")
                  .build());
      ReportVerdictResponse response =
          h.stub()
              .reportVerdict(
                  report()
                      .setRequestId("req-1")
                      .addCategories("gambling")
                      .setNote("a maths site")
                      .setReportId("rep-1")
                      .build());
      assertThat(response.getReportId()).isEqualTo("rep-1");
      assertThat(response.getQueued()).isTrue();
      assertThat(app.reports).hasSize(1);
      FeedbackReport forwarded = app.reports.get(0);
      assertThat(forwarded.getServedAction()).isEqualTo(ShortNames.action(served.getAction()));
      assertThat(forwarded.getNormalizedUrl()).isEqualTo("https://casino.example/play");
      assertThat(forwarded.getPolicyVersion()).isEqualTo("7");
      assertThat(forwarded.getServedScoresList())
          .anySatisfy(
              s -> {
                assertThat(s.getCategory()).isEqualTo("gambling");
                assertThat(s.getScore()).isEqualTo(0.9);
              });
      assertThat(forwarded.getReceivedAtMs()).isEqualTo(h.clock.millis());
      assertThat(forwarded.getReport().getNote()).isEqualTo("a maths site");

      // The same report again: counted once.
      ReportVerdictResponse again =
          h.stub()
              .reportVerdict(
                  report()
                      .setRequestId("req-1")
                      .addCategories("gambling")
                      .setNote("a maths site")
                      .setReportId("rep-1")
                      .build());
      assertThat(again.getQueued()).isFalse();
      assertThat(app.reports).hasSize(1);

      // Another tenant naming the request id learns nothing of it.
      h.stub()
          .reportVerdict(
              report().setTenantId("school-2").setRequestId("req-1").setReportId("rep-2").build());
      FeedbackReport foreign = app.reports.get(1);
      assertThat(foreign.getServedAction()).isEmpty();
      assertThat(foreign.getServedScoresList()).isEmpty();

      // A report by URL only gets the normalized URL and a generated report id.
      ReportVerdictResponse byUrl =
          h.stub()
              .reportVerdict(
                  report()
                      .setKind(ReportVerdictRequest.Kind.KIND_SHOULD_BLOCK)
                      .setUrl("HTTPS://Games.Example/x#frag")
                      .build());
      assertThat(byUrl.getReportId()).isNotEmpty();
      assertThat(app.reports.get(2).getNormalizedUrl()).isEqualTo("https://games.example/x");
      assertThat(
              h.meters
                  .get("sieve.router.feedback.reports")
                  .tags("outcome", "forwarded")
                  .counter()
                  .count())
          .isEqualTo(3);
    }
  }

  @Test
  void badReportsGetInvalidArgumentWithThePreciseRule() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(FeedbackSettings.none(), app)) {
      // request -> {message, ErrorInfo reason, BadRequest field}: the details a Classify
      // refusal carries, so clients branch on the reason and the field, not the message.
      Map<ReportVerdictRequest, List<String>> cases =
          Map.of(
              report().build(),
                  List.of("request_id or url is required", "EMPTY_REQUEST", "request_id"),
              report()
                      .setUrl("https://a.example/")
                      .setKind(ReportVerdictRequest.Kind.KIND_UNSPECIFIED)
                      .build(),
                  List.of("kind is required", "INVALID_FIELD", "kind"),
              report().setUrl("https://a.example/").setKindValue(7).build(),
                  List.of("kind is required", "INVALID_FIELD", "kind"),
              report().setUrl("javascript:alert(1)").build(),
                  List.of("url is malformed", "UNSUPPORTED_SCHEME", "url"),
              report().setUrl("https://a.example/").setNote("x".repeat(2049)).build(),
                  List.of("note is 2049 bytes; at most 2048", "INVALID_FIELD", "note"),
              report().setUrl("https://a.example/").setReporterRole("parent").build(),
                  List.of("reporter_role must be", "INVALID_FIELD", "reporter_role"),
              report().setUrl("https://a.example/").addCategories("Gambling!").build(),
                  List.of("categories[0]", "INVALID_FIELD", "categories[0]"),
              report().setUrl("https://a.example/").setReportId("has space").build(),
                  List.of("report_id must be", "INVALID_FIELD", "report_id"),
              report().setRequestId("x".repeat(129)).build(),
                  List.of("request_id must be", "INVALID_FIELD", "request_id"));
      for (Map.Entry<ReportVerdictRequest, List<String>> c : cases.entrySet()) {
        assertThatThrownBy(() -> h.stub().reportVerdict(c.getKey()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                  assertThat(e.getStatus().getDescription()).contains(c.getValue().get(0));
                  assertDetails(e, c.getValue().get(1), c.getValue().get(2));
                });
      }
      // A note of exactly 2 KiB of multi-byte text is measured in bytes.
      assertThatThrownBy(
              () ->
                  h.stub()
                      .reportVerdict(
                          report().setUrl("https://a.example/").setNote("é".repeat(1025)).build()))
          .hasMessageContaining("note is 2050 bytes");
      assertThat(app.reports).isEmpty();
    }
  }

  @Test
  void whenTheAppIsDownReportsAreSpooledAndResentLater() throws Exception {
    Path spool = dir.resolve("var/spool.jsonl");
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h =
            harness(
                FeedbackSettings.none()
                    .withSpool(spool, 1 << 20)
                    .withBreakerOpen(Duration.ofMillis(200)),
                app)) {
      app.failReports = Status.UNAVAILABLE.withDescription("app restarting");
      h.classify(
          ClassifyRequest.newBuilder()
              .setTenantId("school-1")
              .setRequestId("req-9")
              .setUrl("https://casino.example/")
              .build());
      ReportVerdictResponse taken =
          h.stub().reportVerdict(report().setRequestId("req-9").setReportId("rep-9").build());
      assertThat(taken.getQueued()).as("taken by the spool").isTrue();
      assertThat(Files.readAllLines(spool))
          .hasSize(1)
          .first()
          .asString()
          .contains("rep-9", "casino.example");
      assertThat(
              h.stub()
                  .reportVerdict(report().setRequestId("req-9").setReportId("rep-9").build())
                  .getQueued())
          .as("a retry of a spooled report is a duplicate")
          .isFalse();
      h.stub().reportVerdict(report().setUrl("https://b.example/").setReportId("rep-10").build());
      assertThat(h.meters.get("sieve.router.feedback.spooled").gauge().value()).isEqualTo(2);

      assertThat(h.router().feedback().resendNow()).as("still down: nothing sent").isZero();
      assertThat(Files.readAllLines(spool)).hasSize(2);

      app.failReports = null;
      // The breaker may have opened after three failures; its half-open probe admits one call.
      int sent = 0;
      for (int round = 0; round < 40 && sent < 2; round++) {
        sent += h.router().feedback().resendNow();
        if (sent < 2) {
          Thread.sleep(100);
        }
      }
      assertThat(app.reports)
          .extracting(r -> r.getReport().getReportId())
          .containsExactly("rep-9", "rep-10");
      assertThat(app.reports.get(0).getServedAction()).as("enriched before spooling").isNotEmpty();
      assertThat(Files.readAllLines(spool)).isEmpty();
      assertThat(h.meters.get("sieve.router.feedback.spooled").gauge().value()).isZero();
    }
  }

  @Test
  void withoutAnAppReportsWaitInTheSpoolAndAFullSpoolSaysUnavailable() throws Exception {
    Path spool = dir.resolve("spool.jsonl");
    try (RouterHarness h = harness(FeedbackSettings.none().withSpool(spool, 400), null)) {
      assertThat(
              h.stub()
                  .reportVerdict(report().setUrl("https://a.example/").setReportId("r-1").build())
                  .getQueued())
          .isTrue();
      assertThatThrownBy(
              () ->
                  h.stub()
                      .reportVerdict(
                          report()
                              .setUrl("https://a.example/")
                              .setNote("n".repeat(400))
                              .setReportId("r-2")
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription())
                    .contains("no feedback service configured", "is full");
                assertDetails(e, "FEEDBACK_UNAVAILABLE", null);
              });
      assertThat(Files.readAllLines(spool)).hasSize(1);
    }
    try (RouterHarness h = harness(FeedbackSettings.none(), null)) {
      assertThatThrownBy(
              () -> h.stub().reportVerdict(report().setUrl("https://a.example/").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("spool is off");
                assertDetails(e, "FEEDBACK_UNAVAILABLE", null);
              });
    }
  }

  @Test
  void aReportTheAppRefusesIsInvalidWithReasonReportRejected() throws Exception {
    try (FakeFeedbackService app = new FakeFeedbackService();
        RouterHarness h = harness(FeedbackSettings.none(), app)) {
      app.failReports = Status.INVALID_ARGUMENT.withDescription("unknown category 'x'");
      assertThatThrownBy(
              () -> h.stub().reportVerdict(report().setUrl("https://a.example/").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("unknown category 'x'");
                assertDetails(e, "REPORT_REJECTED", null);
              });
    }
  }

  /** The google.rpc.Status details: ErrorInfo (domain sieve.dev) and, if given, the field. */
  private static void assertDetails(StatusRuntimeException e, String reason, String field) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    assertThat(rich).as("rich status details in the trailers").isNotNull();
    assertThat(ErrorDetails.reason(e)).contains(reason);
    if (field != null) {
      assertThat(rich.getDetailsList())
          .anySatisfy(
              any -> {
                try {
                  assertThat(any.unpack(BadRequest.class).getFieldViolations(0).getField())
                      .isEqualTo(field);
                } catch (InvalidProtocolBufferException x) {
                  throw new AssertionError(x);
                }
              });
    }
  }
}
