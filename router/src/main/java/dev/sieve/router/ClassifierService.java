package dev.sieve.router;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.ListCategoriesRequest;
import dev.sieve.proto.v1.ListCategoriesResponse;
import dev.sieve.proto.v1.ReportVerdictRequest;
import dev.sieve.proto.v1.ReportVerdictResponse;
import dev.sieve.router.catalog.CategoryCatalog;
import dev.sieve.router.feedback.VerdictReports;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public {@code sieve.v1.Classifier} gRPC service: a thin adapter from gRPC calls to the {@link
 * ClassificationEngine}, plus the router's own load shedding.
 *
 * <p>A bounded number of classifications may be in flight at once, unary calls and stream items
 * counted by one {@link InFlightLimit}; beyond it a call fails fast with RESOURCE_EXHAUSTED instead
 * of queueing, so an overloaded router sheds load the way the architecture asks (bounded queues,
 * never block).
 *
 * <p>Where the work runs: the router serves on the transport's event loop (see {@link
 * Router#serve}), so a request without a large body is classified right there, with no hand-off to
 * another thread. A request whose html + text exceed {@code inlineBodyBytes} is handed to the
 * {@code offload} executor first: hashing and UTF-8-checking up to the body limit (2 MiB) takes
 * milliseconds that would otherwise stall every other connection on that event loop.
 */
public final class ClassifierService extends ClassifierGrpc.ClassifierImplBase {

  private static final Logger log = LoggerFactory.getLogger(ClassifierService.class);

  /**
   * Bodies up to this size are classified on the calling thread: hashing and checking 32 KiB takes
   * a few tens of microseconds, about what a hand-off to a worker thread costs.
   */
  public static final int INLINE_BODY_BYTES = 32 * 1024;

  private final ClassificationEngine engine;
  private final InFlightLimit inFlight;
  private final int streamWindow;
  private final Executor offload;
  private final int inlineBodyBytes;

  /** ReportVerdict's handler (the feedback loop); null: ReportVerdict answers UNIMPLEMENTED. */
  private volatile VerdictReports reports;

  private volatile CategoryCatalog catalog;

  /** Every classification on the calling thread (tests; a server whose executor is a pool). */
  public ClassifierService(ClassificationEngine engine, int maxInFlight, int streamWindow) {
    this(engine, maxInFlight, streamWindow, Runnable::run, Integer.MAX_VALUE);
  }

  /**
   * @param maxInFlight classifications in flight before RESOURCE_EXHAUSTED
   * @param streamWindow items of one ClassifyStream in flight at once (flow control)
   * @param offload where a request with a body over {@code inlineBodyBytes} is classified
   * @param inlineBodyBytes largest html + text classified on the calling thread
   */
  public ClassifierService(
      ClassificationEngine engine,
      int maxInFlight,
      int streamWindow,
      Executor offload,
      int inlineBodyBytes) {
    this.engine = engine;
    this.inFlight = new InFlightLimit(maxInFlight);
    this.streamWindow = streamWindow;
    this.offload = offload;
    this.inlineBodyBytes = inlineBodyBytes;
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    ServerCallStreamObserver<ClassifyResponse> call =
        (ServerCallStreamObserver<ClassifyResponse>) responses;
    call.setOnCancelHandler(() -> {});
    if (!inFlight.tryAcquire()) {
      call.onError(overloaded());
      return;
    }
    Span span = Span.current();
    classify(request, Context.current())
        .whenComplete(
            (response, error) -> {
              inFlight.release();
              if (response != null) {
                VerdictSpanAttributes.record(span, response);
              }
              if (call.isCancelled()) {
                return;
              }
              try {
                if (error == null) {
                  call.onNext(response);
                  call.onCompleted();
                } else {
                  call.onError(toStatusException(error));
                }
              } catch (StatusRuntimeException | IllegalStateException e) {
                log.debug("classify: response not delivered ({})", e.toString());
              }
            });
  }

  /** Serves ReportVerdict through {@code reports} (see {@link VerdictReports}). */
  public ClassifierService withReports(VerdictReports reports) {
    this.reports = reports;
    return this;
  }

  @Override
  public void reportVerdict(
      ReportVerdictRequest request, StreamObserver<ReportVerdictResponse> responses) {
    VerdictReports handler = reports;
    if (handler == null) {
      responses.onError(
          Status.UNIMPLEMENTED
              .withDescription("ReportVerdict is not enabled on this router")
              .asRuntimeException());
      return;
    }
    CompletableFuture<ReportVerdictResponse> result;
    try {
      result = handler.report(request, Context.current());
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (response, error) -> {
          try {
            if (error == null) {
              responses.onNext(response);
              responses.onCompleted();
            } else {
              // With its ErrorInfo details; a bug becomes UNAVAILABLE, never INTERNAL.
              responses.onError(VerdictReports.toClientError(error));
            }
          } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("reportVerdict: response not delivered ({})", e.toString());
          }
        });
  }

  /** ListCategories: answered by the {@link dev.sieve.router.catalog.CategoryCatalog}, if wired. */
  @Override
  public void listCategories(
      ListCategoriesRequest request, StreamObserver<ListCategoriesResponse> responses) {
    if (catalog == null) {
      super.listCategories(request, responses);
      return;
    }
    try {
      responses.onNext(catalog.list(request, Context.current()));
      responses.onCompleted();
    } catch (StatusException e) {
      responses.onError(e);
    }
  }

  /** Serves ListCategories from {@code catalog} (the router's composition root wires it). */
  public ClassifierService withCatalog(CategoryCatalog catalog) {
    this.catalog = catalog;
    return this;
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(
      StreamObserver<ClassifyStreamResponse> responses) {
    return new ClassifyStreamHandler(
        (ServerCallStreamObserver<ClassifyStreamResponse>) responses, streamWindow, this);
  }

  /**
   * Classifies {@code request} on this thread, or on the offload executor when its body is large;
   * never throws (a failure, or an offload executor that refuses the task, is a failed future).
   */
  CompletableFuture<ClassifyResponse> classify(ClassifyRequest request, Context context) {
    long bodyBytes = (long) request.getHtml().size() + request.getText().size();
    if (bodyBytes <= inlineBodyBytes) {
      return classifySafely(engine, request, context);
    }
    CompletableFuture<ClassifyResponse> result = new CompletableFuture<>();
    try {
      offload.execute(
          () -> {
            // The caller's gRPC context (deadline, cancellation, authenticated tenant) travels
            // along.
            Context previous = context.attach();
            try {
              classifySafely(engine, request, context)
                  .whenComplete(
                      (response, error) -> {
                        if (error == null) {
                          result.complete(response);
                        } else {
                          result.completeExceptionally(error);
                        }
                      });
            } finally {
              context.detach(previous);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          ErrorDetails.error(
              Status.Code.UNAVAILABLE, ErrorReason.SHUTTING_DOWN, "router is shutting down"));
    }
    return result;
  }

  /** The in-flight bound unary calls and stream items share. */
  InFlightLimit inFlight() {
    return inFlight;
  }

  /**
   * The engine's future; a synchronous failure (a bug) becomes a failed future, never a lost slot.
   */
  static CompletableFuture<ClassifyResponse> classifySafely(
      ClassificationEngine engine, ClassifyRequest request, Context context) {
    try {
      return engine.classify(request, context);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static StatusException overloaded() {
    return ErrorDetails.error(
        Status.Code.RESOURCE_EXHAUSTED,
        ErrorReason.OVERLOADED,
        "router overloaded: too many classifications in flight");
  }

  /**
   * The exception a failed classification is reported with: the original status exception, so its
   * trailers (the {@code google.rpc.Status} details of {@link ErrorDetails}) reach the caller.
   */
  static Throwable toStatusException(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusException || cause instanceof StatusRuntimeException) {
      return cause;
    }
    return toStatus(cause).asException();
  }

  /** The status a failed classification is reported with. */
  static Status toStatus(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusException e) {
      return e.getStatus();
    }
    if (cause instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    log.error("unexpected classification failure", cause);
    return Status.INTERNAL.withDescription("router failed: " + cause.getClass().getSimpleName());
  }
}
