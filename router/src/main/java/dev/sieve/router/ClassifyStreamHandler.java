package dev.sieve.router;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.ItemError;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ClassifyStream} call: every request gets exactly one response with its request_id, in
 * completion order; a bad item gets an {@link ItemError} and the stream stays open.
 *
 * <p>Flow control is manual so a bulk caller cannot make the router read unboundedly ahead: at most
 * {@code window} items are requested from the transport and in flight; one more is requested only
 * when one completes <em>and</em> the outbound side is ready (a caller that stops reading responses
 * stops getting its requests read, instead of filling the router's memory with responses).
 */
final class ClassifyStreamHandler implements StreamObserver<ClassifyRequest> {

  private static final Logger log = LoggerFactory.getLogger(ClassifyStreamHandler.class);

  private final ServerCallStreamObserver<ClassifyStreamResponse> call;
  private final ClassifierService service;
  private final Context context;
  private final Object lock = new Object();
  private int inFlight;
  private int owed;
  private boolean halfClosed;
  private boolean finished;

  ClassifyStreamHandler(
      ServerCallStreamObserver<ClassifyStreamResponse> call,
      int window,
      ClassifierService service) {
    this.call = call;
    this.service = service;
    this.context = Context.current();
    call.disableAutoRequest();
    call.setOnCancelHandler(
        () -> {
          synchronized (lock) {
            finished = true;
          }
        });
    call.setOnReadyHandler(
        () -> {
          synchronized (lock) {
            requestMore();
          }
        });
    call.request(window);
  }

  @Override
  public void onNext(ClassifyRequest request) {
    synchronized (lock) {
      inFlight++;
    }
    if (!service.inFlight().tryAcquire()) {
      emitError(request.getRequestId(), ClassifierService.overloaded());
      return;
    }
    service
        .classify(request, context)
        .whenComplete(
            (response, error) -> {
              service.inFlight().release();
              if (error == null) {
                emit(
                    ClassifyStreamResponse.newBuilder()
                        .setRequestId(response.getRequestId())
                        .setResponse(response)
                        .build());
              } else {
                emitError(request.getRequestId(), ClassifierService.toStatusException(error));
              }
            });
  }

  private void emitError(String requestId, Throwable error) {
    emit(
        ClassifyStreamResponse.newBuilder()
            .setRequestId(requestId)
            .setError(itemError(error))
            .build());
  }

  /** The per-item error for a failed classification: code name, message and the stable reason. */
  static ItemError itemError(Throwable error) {
    Status status = Status.fromThrowable(error);
    return ItemError.newBuilder()
        .setCode(status.getCode().name())
        .setMessage(status.getDescription() == null ? "" : status.getDescription())
        .setReason(ErrorDetails.reason(error).orElse(""))
        .build();
  }

  /** Sends one item's response, then lets one more request in. */
  private void emit(ClassifyStreamResponse response) {
    synchronized (lock) {
      inFlight--;
      owed++;
      if (finished) {
        return;
      }
      try {
        call.onNext(response);
      } catch (RuntimeException e) {
        log.debug("stream response not delivered ({})", e.toString());
        finished = true;
        return;
      }
      requestMore();
      completeIfDone();
    }
  }

  /** Requests as many items as have completed since the last request, if the caller is reading. */
  private void requestMore() {
    if (owed > 0 && !halfClosed && !finished && call.isReady()) {
      int n = owed;
      owed = 0;
      call.request(n);
    }
  }

  private void completeIfDone() {
    if (halfClosed && inFlight == 0 && !finished) {
      finished = true;
      call.onCompleted();
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (lock) {
      finished = true;
    }
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      halfClosed = true;
      completeIfDone();
    }
  }
}
