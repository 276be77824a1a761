package dev.sieve.router.support;

import dev.sieve.proto.v1.ClassifyStreamResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects a ClassifyStream's responses; {@link #done} completes when the server completes the
 * stream.
 */
public final class StreamCollector implements StreamObserver<ClassifyStreamResponse> {
  public final List<ClassifyStreamResponse> responses = new CopyOnWriteArrayList<>();
  public final CompletableFuture<List<ClassifyStreamResponse>> done = new CompletableFuture<>();

  @Override
  public void onNext(ClassifyStreamResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    done.complete(responses);
  }
}
