package dev.sieve.router.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.core.grpc.ShortNames;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.router.auth.AuthenticatedTenant;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Classifier.ReportVerdict}: a school's "this block is wrong" / "this should have been
 * blocked", validated, enriched with what the router served for the request id, and forwarded to
 * the annotation app's {@code Feedback.SubmitReport}.
 *
 * <p>Never lost silently: when no app is configured, its circuit breaker is open, or the call
 * fails, the report goes to the local {@link ReportSpool} and is re-sent later; the caller is told
 * it was taken ({@code queued: true}). Only when the spool cannot take it either (off, full,
 * unwritable) does the caller get UNAVAILABLE, which is safe to retry. Idempotent on {@code
 * report_id}: a report id already taken by this router answers {@code queued: false} without
 * forwarding again (the app is idempotent on it too, across routers). Bad input gets
 * INVALID_ARGUMENT with the field and the rule.
 */
public final class VerdictReports {

  private static final Logger log = LoggerFactory.getLogger(VerdictReports.class);

  public static final int MAX_NOTE_BYTES = 2048;
  public static final int MAX_URL_CHARS = 8192;
  public static final int MAX_CATEGORIES = 64;
  private static final Set<String> ROLES = Set.of("", "teacher", "student", "admin");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_]{1,64}");

  /** How a report ended, the outcome label of {@code sieve_router_feedback_reports_total}. */
  enum Outcome {
    FORWARDED,
    SPOOLED,
    DUPLICATE,
    INVALID,
    UNAVAILABLE
  }

  private final FeedbackGrpc.FeedbackFutureStub stub;
  private final Duration timeout;
  private final ReportSpool spool;
  private final RecentVerdicts recent;
  private final Clock clock;
  private final Executor spoolExecutor;
  private final CircuitBreaker breaker;
  private final Channel channel;
  private final Cache<String, Boolean> taken =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(1)).build();
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  /**
   * @param feedback channel to the annotation app's Feedback service, or null when none is
   *     configured
   * @param spool where reports wait for the app, or null (spool off)
   * @param spoolExecutor where spool file I/O runs (never the transport's event loop)
   */
  public VerdictReports(
      Channel feedback,
      Duration timeout,
      Duration breakerOpen,
      ReportSpool spool,
      RecentVerdicts recent,
      Clock clock,
      Executor spoolExecutor,
      MeterRegistry registry) {
    this.channel = feedback;
    this.stub = feedback == null ? null : FeedbackGrpc.newFutureStub(feedback);
    this.timeout = timeout;
    this.spool = spool;
    this.recent = recent;
    this.clock = clock;
    this.spoolExecutor = spoolExecutor;
    this.breaker =
        CircuitBreaker.of(
            "feedback",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(breakerOpen)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(
          outcome,
          Counter.builder("sieve.router.feedback.reports")
              .description("ReportVerdict calls by how they ended")
              .tag("outcome", outcome.name().toLowerCase())
              .register(registry));
    }
    if (spool != null) {
      Gauge.builder("sieve.router.feedback.spooled", spool, ReportSpool::size)
          .description("Reports in the local spool waiting for the annotation app")
          .register(registry);
    }
  }

  /** Serves one call; completes with the response or a StatusException, never anything else. */
  public CompletableFuture<ReportVerdictResponse> report(
      ReportVerdictRequest request, Context context) {
    ReportVerdictRequest valid;
    try {
      valid = validate(request, context);
    } catch (StatusException e) {
      outcomes.get(Outcome.INVALID).increment();
      return CompletableFuture.failedFuture(e);
    }
    String reportId = valid.getReportId();
    if (taken.getIfPresent(reportId) != null) {
      outcomes.get(Outcome.DUPLICATE).increment();
      return CompletableFuture.completedFuture(
          ReportVerdictResponse.newBuilder().setReportId(reportId).setQueued(false).build());
    }
    FeedbackReport report = enrich(valid);
    CompletableFuture<ReportVerdictResponse> result = new CompletableFuture<>();
    if (stub == null || !breaker.tryAcquirePermission()) {
      spool(
          report,
          stub == null
              ? "no feedback service configured (SIEVE_FEEDBACK_ADDR)"
              : "feedback service circuit open",
          result);
      return result;
    }
    reconnectNowIfBackingOff();
    long start = System.nanoTime();
    Futures.addCallback(
        // Wait for the channel to be ready, within the deadline: right after start-up the channel
        // is often in connect back-off (the override stream found the app not yet listening), and
        // a fail-fast call would spool a report the app could take a moment later.
        stub.withWaitForReady()
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .submitReport(report),
        new FutureCallback<>() {
          @Override
          public void onSuccess(ReportVerdictResponse response) {
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            taken.put(reportId, Boolean.TRUE);
            outcomes.get(Outcome.FORWARDED).increment();
            result.complete(response.toBuilder().setReportId(reportId).build());
          }

          @Override
          public void onFailure(Throwable error) {
            Status status = Status.fromThrowable(error);
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
              breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              outcomes.get(Outcome.INVALID).increment();
              result.completeExceptionally(
                  ErrorDetails.error(
                      Status.Code.INVALID_ARGUMENT,
                      ErrorReason.REPORT_REJECTED,
                      "feedback store rejected the report: " + status.getDescription()));
              return;
            }
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
            spool(
                report,
                "feedback service failed: " + status.getCode() + " " + status.getDescription(),
                result);
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  private void spool(
      FeedbackReport report, String why, CompletableFuture<ReportVerdictResponse> result) {
    String reportId = report.getReport().getReportId();
    if (spool == null) {
      outcomes.get(Outcome.UNAVAILABLE).increment();
      result.completeExceptionally(
          ErrorDetails.error(
              Status.Code.UNAVAILABLE,
              ErrorReason.FEEDBACK_UNAVAILABLE,
              why + ", and the report spool is off (SIEVE_FEEDBACK_SPOOL); retry later"));
      return;
    }
    try {
      spoolExecutor.execute(
          () -> {
            try {
              spool.append(report);
              taken.put(reportId, Boolean.TRUE);
              outcomes.get(Outcome.SPOOLED).increment();
              log.info("report {} spooled ({})", reportId, why);
              result.complete(
                  ReportVerdictResponse.newBuilder().setReportId(reportId).setQueued(true).build());
            } catch (ReportSpool.SpoolException e) {
              outcomes.get(Outcome.UNAVAILABLE).increment();
              log.error("report {} not taken: {}; {}", reportId, why, e.getMessage());
              result.completeExceptionally(
                  ErrorDetails.error(
                      Status.Code.UNAVAILABLE,
                      ErrorReason.FEEDBACK_UNAVAILABLE,
                      why + ", and " + e.getMessage() + "; retry later"));
            }
          });
    } catch (RejectedExecutionException e) {
      outcomes.get(Outcome.UNAVAILABLE).increment();
      result.completeExceptionally(
          ErrorDetails.error(
              Status.Code.UNAVAILABLE, ErrorReason.SHUTTING_DOWN, "router is shutting down"));
    }
  }

  /**
   * A channel that failed to connect (the app was not listening yet when the override stream first
   * tried, as right after {@code ./sieve up} starts the router before the app) waits out an
   * exponential back-off before it tries again, seconds that a waiting report would spend in its
   * deadline and then spool. Reports are rare and a person is waiting on each: ask for a connection
   * attempt now.
   */
  private void reconnectNowIfBackingOff() {
    if (channel instanceof ManagedChannel managed
        && managed.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      managed.resetConnectBackoff();
    }
  }

  /**
   * Re-sends the spool to the app (blocking; runs on the spool executor). Stops at the first report
   * the app does not take.
   *
   * @return reports sent
   */
  public int resendSpool() {
    if (spool == null || stub == null || spool.size() == 0) {
      return 0;
    }
    reconnectNowIfBackingOff();
    FeedbackGrpc.FeedbackBlockingStub blocking = FeedbackGrpc.newBlockingStub(stub.getChannel());
    try {
      int sent =
          spool.resend(
              report -> {
                if (!breaker.tryAcquirePermission()) {
                  return false;
                }
                long start = System.nanoTime();
                try {
                  blocking
                      .withWaitForReady()
                      .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                      .submitReport(report);
                  breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                  return true;
                } catch (StatusRuntimeException e) {
                  if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                    // The app will never take it: keeping it would block the spool forever.
                    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    log.error(
                        "spooled report {} refused by the feedback store and dropped: {}",
                        report.getReport().getReportId(),
                        e.getStatus().getDescription());
                    return true;
                  }
                  breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                  return false;
                }
              });
      if (sent > 0) {
        log.info(
            "{} spooled report(s) re-sent to the feedback service, {} left", sent, spool.size());
      }
      return sent;
    } catch (IOException e) {
      log.error("feedback spool {} cannot be re-sent: {}", spool.file(), e.getMessage());
      return 0;
    }
  }

  /**
   * The request with its tenant bound and report_id set, or INVALID_ARGUMENT / PERMISSION_DENIED.
   */
  ReportVerdictRequest validate(ReportVerdictRequest request, Context context)
      throws StatusException {
    ReportVerdictRequest.Builder out = request.toBuilder();
    String authenticated = context == null ? null : AuthenticatedTenant.KEY.get(context);
    if (authenticated != null) {
      if (request.getTenantId().isEmpty()) {
        out.setTenantId(authenticated);
      } else if (!request.getTenantId().equals(authenticated)) {
        throw ErrorDetails.error(
            Status.Code.PERMISSION_DENIED,
            ErrorReason.TENANT_MISMATCH,
            "authenticated as tenant '"
                + authenticated
                + "', report names tenant '"
                + request.getTenantId()
                + "'",
            "tenant_id");
      }
    }
    if (request.getKind() != ReportVerdictRequest.Kind.KIND_WRONG_BLOCK
        && request.getKind() != ReportVerdictRequest.Kind.KIND_SHOULD_BLOCK) {
      throw invalid(
          "kind",
          "kind is required: KIND_WRONG_BLOCK or KIND_SHOULD_BLOCK (got "
              + request.getKindValue()
              + ")");
    }
    if (request.getRequestId().isEmpty() && request.getUrl().isEmpty()) {
      throw ErrorDetails.error(
          Status.Code.INVALID_ARGUMENT,
          ErrorReason.EMPTY_REQUEST,
          "request_id or url is required",
          "request_id");
    }
    if (!request.getRequestId().isEmpty() && !ID.matcher(request.getRequestId()).matches()) {
      throw invalid("request_id", "request_id must be 1..128 characters of A-Z a-z 0-9 . _ : -");
    }
    if (!request.getUrl().isEmpty()) {
      if (request.getUrl().length() > MAX_URL_CHARS) {
        throw ErrorDetails.error(
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.URL_TOO_LONG,
            "url is " + request.getUrl().length() + " characters; at most " + MAX_URL_CHARS,
            "url");
      }
      try {
        UrlNormalizer.instance().normalize(request.getUrl());
      } catch (UrlRejectedException e) {
        throw ErrorDetails.error(
            Status.Code.INVALID_ARGUMENT,
            urlReason(e.reason()),
            "url is malformed (" + e.reason() + "): " + e.getMessage(),
            "url");
      }
    }
    int noteBytes = request.getNote().getBytes(StandardCharsets.UTF_8).length;
    if (noteBytes > MAX_NOTE_BYTES) {
      throw invalid("note", "note is " + noteBytes + " bytes; at most " + MAX_NOTE_BYTES);
    }
    if (!ROLES.contains(request.getReporterRole())) {
      throw invalid(
          "reporter_role",
          "reporter_role must be teacher, student, admin or empty (got '"
              + request.getReporterRole()
              + "')");
    }
    if (request.getCategoriesCount() > MAX_CATEGORIES) {
      throw invalid(
          "categories",
          "categories has " + request.getCategoriesCount() + " entries; at most " + MAX_CATEGORIES);
    }
    for (int i = 0; i < request.getCategoriesCount(); i++) {
      if (!CATEGORY.matcher(request.getCategories(i)).matches()) {
        throw invalid(
            "categories[" + i + "]",
            "categories["
                + i
                + "] '"
                + request.getCategories(i)
                + "' is not a category id (a-z 0-9 _)");
      }
    }
    if (request.getReportId().isEmpty()) {
      out.setReportId(UUID.randomUUID().toString());
    } else if (!ID.matcher(request.getReportId()).matches()) {
      throw invalid("report_id", "report_id must be 1..128 characters of A-Z a-z 0-9 . _ : -");
    }
    if (request.getTenantId().length() > 256) {
      throw invalid("tenant_id", "tenant_id is longer than 256 characters");
    }
    return out.build();
  }

  /** The report as the app receives it: with the served verdict when this router still knows it. */
  FeedbackReport enrich(ReportVerdictRequest request) {
    FeedbackReport.Builder report =
        FeedbackReport.newBuilder().setReport(request).setReceivedAtMs(clock.millis());
    RecentVerdicts.Served served = recent.get(request.getRequestId());
    // Never across tenants: a request id of another tenant is treated as unknown.
    if (served != null && served.tenantId().equals(request.getTenantId())) {
      report
          .setServedAction(ShortNames.action(served.action()))
          .addAllServedScores(served.scores())
          .setPolicyVersion(served.policyVersion())
          .setNormalizedUrl(served.normalizedUrl());
    } else if (!request.getUrl().isEmpty()) {
      try {
        NormalizedUrl url = UrlNormalizer.instance().normalize(request.getUrl());
        report.setNormalizedUrl(url.canonical());
      } catch (UrlRejectedException e) {
        // validated before: cannot happen
      }
    }
    return report.build();
  }

  /**
   * INVALID_ARGUMENT with the same rich details a Classify refusal carries (ErrorInfo reason {@code
   * INVALID_FIELD}, a BadRequest violation naming {@code field}), so a client branches on the
   * reason and the field instead of parsing the message.
   */
  private static StatusException invalid(String field, String message) {
    return ErrorDetails.error(
        Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, message, field);
  }

  /** The stable API reason for a URL the normalizer rejects (the same codes Classify sends). */
  private static ErrorReason urlReason(UrlRejectedException.Reason reason) {
    return switch (reason) {
      case TOO_LONG -> ErrorReason.URL_TOO_LONG;
      case CONTROL_CHARACTERS -> ErrorReason.URL_CONTROL_CHARACTERS;
      case UNSUPPORTED_SCHEME -> ErrorReason.UNSUPPORTED_SCHEME;
      case EMPTY_HOST -> ErrorReason.EMPTY_HOST;
      case MALFORMED_HOST -> ErrorReason.MALFORMED_HOST;
      case MALFORMED_PORT -> ErrorReason.MALFORMED_PORT;
      default -> ErrorReason.MALFORMED_URL;
    };
  }

  /**
   * What the caller of ReportVerdict receives for a failed report: the StatusException this class
   * completed with (its ErrorInfo details in the trailers); anything else (a bug) as UNAVAILABLE
   * with reason {@code FEEDBACK_UNAVAILABLE}, never INTERNAL: the caller retries, report_id dedups,
   * and a bug must not look like a lost report.
   */
  public static Throwable toClientError(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if ((cause instanceof StatusException || cause instanceof StatusRuntimeException)
        && Status.fromThrowable(cause).getCode() != Status.Code.INTERNAL) {
      return cause;
    }
    return ErrorDetails.error(
        Status.Code.UNAVAILABLE,
        ErrorReason.FEEDBACK_UNAVAILABLE,
        "report not taken (" + Status.fromThrowable(cause).getDescription() + "); retry");
  }
}
