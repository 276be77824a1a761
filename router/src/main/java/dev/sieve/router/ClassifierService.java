package dev.sieve.router;

import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public {@code sieve.v1.Classifier} gRPC service: a thin adapter from gRPC calls to the {@link
 * ClassificationEngine}, plus the router's own load shedding.
 *
 * <p>A bounded number of classifications may be in flight at once (unary calls and stream items
 * together); beyond it a call fails fast with RESOURCE_EXHAUSTED instead of queueing, so an overloaded
 * router sheds load the way the architecture asks (bounded queues, never block).
 */
public final class ClassifierService extends ClassifierGrpc.ClassifierImplBase {

  private static final Logger log = LoggerFactory.getLogger(ClassifierService.class);

  private final ClassificationEngine engine;
  private final int maxInFlight;
  private final int streamWindow;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param maxInFlight classifications in flight before RESOURCE_EXHAUSTED
   * @param streamWindow items of one ClassifyStream in flight at once (flow control)
   */
  public ClassifierService(ClassificationEngine engine, int maxInFlight, int streamWindow) {
    this.engine = engine;
    this.maxInFlight = maxInFlight;
    this.streamWindow = streamWindow;
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
    ServerCallStreamObserver<ClassifyResponse> call = (ServerCallStreamObserver<ClassifyResponse>) responses;
    call.setOnCancelHandler(() -> {});
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      call.onError(overloaded().asRuntimeException());
      return;
    }
    io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.current();
    classifySafely(engine, request, Context.current())
        .whenComplete(
            (response, error) -> {
              inFlight.decrementAndGet();
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
                  call.onError(toStatus(error).asRuntimeException());
                }
              } catch (StatusRuntimeException | IllegalStateException e) {
                log.debug("classify: response not delivered ({})", e.toString());
              }
            });
  }

  @Override
  public StreamObserver<ClassifyRequest> classifyStream(StreamObserver<ClassifyStreamResponse> responses) {
    return new ClassifyStreamHandler(
        engine, (ServerCallStreamObserver<ClassifyStreamResponse>) responses, streamWindow, this);
  }

  /** Takes an in-flight slot for a stream item; false when the router is overloaded. */
  boolean tryAcquire() {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /** The engine's future; a synchronous failure (a bug) becomes a failed future, never a lost slot. */
  static java.util.concurrent.CompletableFuture<ClassifyResponse> classifySafely(
      ClassificationEngine engine, ClassifyRequest request, Context context) {
    try {
      return engine.classify(request, context);
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  static Status overloaded() {
    return Status.RESOURCE_EXHAUSTED.withDescription("router overloaded: too many classifications in flight");
  }

  /** The status a failed classification is reported with. */
  static Status toStatus(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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
