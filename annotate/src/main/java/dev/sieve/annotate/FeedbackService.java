package dev.sieve.annotate;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.OverrideSet;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.proto.v1.WatchOverridesRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's side of {@code sieve.v1.Feedback}: reports from schools go into the annotation queue
 * (never straight into training), and the active override set streams to routers.
 *
 * <p>SubmitReport is idempotent on {@code report_id}: the same id again answers the first outcome's
 * id with {@code queued=false}. A report about a URL whose report item of the same tenant is still
 * open collapses into it (its count grows; {@code queued=false}). Bad input is INVALID_ARGUMENT
 * naming the field; a database failure is UNAVAILABLE (retryable), never INTERNAL.
 */
public final class FeedbackService extends FeedbackGrpc.FeedbackImplBase {

  private static final Logger log = LoggerFactory.getLogger(FeedbackService.class);
  static final int MAX_NOTE_BYTES = 2048;

  private final Database db;
  private final Queues queues;
  private final Overrides overrides;
  private final Clock clock;
  private final int reportOverlap;

  public FeedbackService(
      Database db, Queues queues, Overrides overrides, Clock clock, int reportOverlap) {
    this.db = db;
    this.queues = queues;
    this.overrides = overrides;
    this.clock = clock;
    this.reportOverlap = reportOverlap;
  }

  @Override
  public void submitReport(FeedbackReport request, StreamObserver<ReportVerdictResponse> out) {
    ReportVerdictRequest r = request.getReport();
    String url = r.getUrl().isBlank() ? request.getNormalizedUrl() : r.getUrl();
    if (url.isBlank()) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("report.url (or normalized_url) is required: the app queues URLs")
              .asRuntimeException());
      return;
    }
    if (r.getKind() == ReportVerdictRequest.Kind.KIND_UNSPECIFIED
        || r.getKind() == ReportVerdictRequest.Kind.UNRECOGNIZED) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("report.kind must be KIND_WRONG_BLOCK or KIND_SHOULD_BLOCK")
              .asRuntimeException());
      return;
    }
    if (r.getNote().getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("report.note is over 2 KiB")
              .asRuntimeException());
      return;
    }
    for (String c : r.getCategoriesList()) {
      if (!Taxonomy.v1().contains(c)) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription("report.categories: unknown category " + c)
                .asRuntimeException());
        return;
      }
    }
    if (r.getReportId().length() > 128) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("report.report_id is over 128 characters")
              .asRuntimeException());
      return;
    }
    String normalized = Queues.normalizeUrl(url);
    if (normalized == null) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("report.url is not a URL the fleet accepts")
              .asRuntimeException());
      return;
    }
    String tenant = r.getTenantId().isBlank() ? "default" : r.getTenantId().strip();
    String reportId = r.getReportId().isBlank() ? UUID.randomUUID().toString() : r.getReportId();
    String kind =
        r.getKind() == ReportVerdictRequest.Kind.KIND_WRONG_BLOCK ? "wrong_block" : "should_block";
    Map<String, Double> served = new TreeMap<>();
    for (CategoryScore s : request.getServedScoresList()) {
      served.put(s.getCategory(), s.getScore());
    }
    long received = request.getReceivedAtMs() > 0 ? request.getReceivedAtMs() : clock.millis();
    boolean queued;
    try {
      queued =
          db.tx(
              c -> {
                if (!Database.query(
                        c, "SELECT 1 FROM reports WHERE report_id = ?", rs -> 1, reportId)
                    .isEmpty()) {
                  return false;
                }
                String[] item =
                    queues.queueReport(
                        c,
                        tenant,
                        url,
                        normalized,
                        kind,
                        List.copyOf(r.getCategoriesList()),
                        Json.write(served),
                        r.getNote(),
                        reportOverlap);
                Database.update(
                    c,
                    "INSERT INTO reports(report_id, tenant_id, url, normalized_url, kind, categories, note, reporter_role, served_action,"
                        + " served_scores_json, policy_version, request_id, received_at, item_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    reportId,
                    tenant,
                    url,
                    normalized,
                    kind,
                    String.join(",", r.getCategoriesList()),
                    r.getNote(),
                    r.getReporterRole(),
                    request.getServedAction(),
                    Json.write(served),
                    request.getPolicyVersion(),
                    r.getRequestId(),
                    received,
                    item[0]);
                return Boolean.parseBoolean(item[1]);
              });
    } catch (Database.DataException e) {
      log.warn("SubmitReport: database unavailable: {}", e.getMessage());
      out.onError(
          Status.UNAVAILABLE
              .withDescription("the annotation database is unavailable; retry")
              .asRuntimeException());
      return;
    }
    out.onNext(ReportVerdictResponse.newBuilder().setReportId(reportId).setQueued(queued).build());
    out.onCompleted();
  }

  @Override
  public void watchOverrides(WatchOverridesRequest request, StreamObserver<OverrideSet> out) {
    ServerCallStreamObserver<OverrideSet> call = (ServerCallStreamObserver<OverrideSet>) out;
    Object lock = new Object();
    Consumer<OverrideSet>[] holder = new Consumer[1];
    holder[0] =
        set -> {
          synchronized (lock) {
            if (call.isCancelled()) {
              overrides.unwatch(holder[0]);
              return;
            }
            call.onNext(set);
          }
        };
    call.setOnCancelHandler(() -> overrides.unwatch(holder[0]));
    log.info(
        "override watcher connected: {}",
        request.getWatcher().isBlank() ? "(unnamed)" : request.getWatcher());
    try {
      overrides.watch(holder[0]);
    } catch (Database.DataException e) {
      overrides.unwatch(holder[0]);
      out.onError(
          Status.UNAVAILABLE
              .withDescription("the annotation database is unavailable; retry")
              .asRuntimeException());
    }
  }
}
