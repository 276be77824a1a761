package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.annotate.Accounts.Account;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.router.feedback.FeedbackSettings;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.MutableClock;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The joined path of issue #14 as a test, where it was only run by hand before: the real router
 * (in-process, through the router's own test harness, with its url tier played by the harness's
 * fake tier) wired over a real loopback gRPC connection to this app's real Feedback server and
 * database. A served request's {@code ReportVerdict} lands in the app's report queue exactly once;
 * an override created through the app's service layer makes the router's next {@code Classify} of
 * that tenant ALLOW (another tenant unaffected) and stops exactly at its expiry, with one clock
 * shared by the router and the app and moved by the test (no long sleeps, no timing asserts).
 */
class FeedbackJoinedPathTest {

  @TempDir Path tmp;

  private static ClassifyRequest classify(String tenant, String requestId) {
    return ClassifyRequest.newBuilder()
        .setTenantId(tenant)
        .setRequestId(requestId)
        .setUrl("https://www.pokerstars.com/")
        .build();
  }

  @Test
  void aReportReachesTheQueueOnceAndAnOverrideAppliesThenExpires() throws Exception {
    RouterHarness.Builder builder =
        RouterHarness.builder()
            .tier(
                TierName.URL,
                new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.95)));
    // One clock for the router and the app, moved by the test.
    MutableClock clock = new MutableClock();
    ManagedChannel[] channel = new ManagedChannel[1];
    AnnotateApp[] appRef = new AnnotateApp[1];
    RouterHarness h = null;
    try {
      AnnotateApp app =
          AnnotateApp.start(
              new AnnotateApp.Config(
                  Database.sqlite(tmp.resolve("annotate.db")),
                  tmp.resolve("overlays"),
                  null,
                  "127.0.0.1",
                  0,
                  0,
                  2,
                  false,
                  clock));
      appRef[0] = app;
      channel[0] =
          ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext().build();
      h = builder.clock(clock).feedback(FeedbackSettings.none(), channel[0]).build();
      h.router().feedback().start();
      app.bootstrapAdmin("admin").orElseThrow();
      Account admin = app.accounts().byName("admin").orElseThrow();

      // 1. A served request: the url tier says gambling, the policy blocks.
      ClassifyResponse served = h.classify(classify("district-7", "req-1"));
      assertThat(served.getAction()).isEqualTo(Action.ACTION_BLOCK);

      // 2. The teacher's report through the router reaches the app's queue, once.
      ReportVerdictRequest report =
          ReportVerdictRequest.newBuilder()
              .setTenantId("district-7")
              .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK)
              .setRequestId("req-1")
              .setReportId("e2e-report-1")
              .setReporterRole("teacher")
              .setNote("maths lesson on probability")
              .build();
      ReportVerdictResponse first = h.stub().reportVerdict(report);
      assertThat(first.getQueued()).isTrue();
      ReportVerdictResponse again = h.stub().reportVerdict(report);
      assertThat(again.getQueued()).isFalse();
      Database db = app.db();
      assertThat(db.one("SELECT COUNT(*) FROM reports", rs -> rs.getLong(1)).orElseThrow())
          .isEqualTo(1);
      assertThat(
              db.one(
                      "SELECT served_action || ' ' || tenant_id || ' ' || normalized_url FROM reports WHERE report_id = 'e2e-report-1'",
                      rs -> rs.getString(1))
                  .orElseThrow())
          .isEqualTo("BLOCK district-7 https://www.pokerstars.com/");
      assertThat(
              db.one(
                      "SELECT COUNT(*) FROM items WHERE queue = 'report' AND tenant_id = 'district-7'",
                      rs -> rs.getLong(1))
                  .orElseThrow())
          .isEqualTo(1);

      // 3. An override created in the app: the router's next Classify of that tenant allows.
      var override =
          app.overrides()
              .create(
                  admin,
                  "district-7",
                  "https://www.pokerstars.com/",
                  "allow",
                  Duration.ofMinutes(1),
                  "probability lesson, period 3");
      RouterHarness router = h;
      ClassifyResponse allowed =
          eventually(
              () -> router.classify(classify("district-7", "")),
              r -> r.getAction() == Action.ACTION_ALLOW);
      assertThat(allowed.getAction()).isEqualTo(Action.ACTION_ALLOW);
      assertThat(allowed.getReasonsList())
          .anySatisfy(
              r -> {
                assertThat(r.getTier()).isEqualTo("override");
                assertThat(r.getEvidence().getSource()).isEqualTo("override " + override.id());
              });
      assertThat(allowed.getTtlSeconds()).isBetween(1, 60);
      assertThat(h.classify(classify("district-9", "")).getAction())
          .as("another tenant is unaffected")
          .isEqualTo(Action.ACTION_BLOCK);

      // 4. Expiry: one second before it the override still holds; at it, the model's verdict is
      // back on the very next request (the router checks the clock per request).
      clock.advance(Duration.ofSeconds(59));
      assertThat(h.classify(classify("district-7", "")).getAction()).isEqualTo(Action.ACTION_ALLOW);
      clock.advance(Duration.ofSeconds(1));
      assertThat(h.classify(classify("district-7", "")).getAction()).isEqualTo(Action.ACTION_BLOCK);
      // And the app's sweeper drops it from the set it streams.
      eventually(() -> app.overrides().activeSet(), s -> s.getOverridesCount() == 0);
      assertThat(app.overrides().activeSet().getOverridesList()).isEmpty();
    } finally {
      if (h != null) {
        h.close();
      }
      if (channel[0] != null) {
        channel[0].shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (appRef[0] != null) {
        appRef[0].close();
      }
    }
  }

  /** Polls (every 50 ms, at most 10 s) until {@code done} holds; returns the last value. */
  private static <T> T eventually(Supplier<T> get, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T value = get.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      value = get.get();
    }
    return value;
  }
}
