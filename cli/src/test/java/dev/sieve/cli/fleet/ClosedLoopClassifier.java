package dev.sieve.cli.fleet;

import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Steady closed-loop load on the router for chaos tests: one background thread sends Classify for
 * the same URL (verdict cache bypassed, so every call reaches the tiers), waits for the answer,
 * pauses a little and sends the next, recording every call's status, verdict and latency. Closed
 * loop, so the load never piles up behind a slow router: what is measured is what one patient
 * client sees.
 */
final class ClosedLoopClassifier implements AutoCloseable {

  /**
   * One call: when it started and ended ({@link System#nanoTime()}), its status, and the verdict
   * when the status is OK.
   */
  record Call(
      long startNanos,
      long endNanos,
      Status.Code code,
      String description,
      ClassifyResponse response) {

    Duration latency() {
      return Duration.ofNanos(endNanos - startNanos);
    }

    boolean ok() {
      return code == Status.Code.OK;
    }

    boolean degraded() {
      return ok() && response.getDegraded();
    }

    boolean healthy() {
      return ok() && !response.getDegraded();
    }
  }

  private final ManagedChannel channel;
  private final ClassifyRequest request;
  private final Duration callerDeadline;
  private final Duration pause;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts the load at once.
   *
   * @param callerDeadline every call's gRPC deadline (the caller's, not the tier's)
   * @param pause think time between an answer and the next call (keeps a 2-core machine usable)
   */
  ClosedLoopClassifier(int routerPort, String url, Duration callerDeadline, Duration pause) {
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", routerPort).usePlaintext().build();
    this.request = ClassifyRequest.newBuilder().setUrl(url).setBypassCache(true).build();
    this.callerDeadline = callerDeadline;
    this.pause = pause;
    this.thread = Thread.ofPlatform().name("closed-loop-classify").daemon().start(this::loop);
  }

  private void loop() {
    ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(channel);
    while (running) {
      long start = System.nanoTime();
      try {
        ClassifyResponse response =
            stub.withDeadlineAfter(callerDeadline.toNanos(), TimeUnit.NANOSECONDS)
                .classify(request);
        calls.add(new Call(start, System.nanoTime(), Status.Code.OK, "", response));
      } catch (RuntimeException e) {
        Status status = Status.fromThrowable(e);
        calls.add(
            new Call(
                start,
                System.nanoTime(),
                status.getCode(),
                String.valueOf(status.getDescription()),
                null));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Every call recorded so far, in the order they ended. */
  List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /** The first call that ended at or after {@code sinceNanos} and matches. */
  Optional<Call> firstEndedSince(long sinceNanos, Predicate<Call> matches) {
    return calls.stream()
        .filter(c -> c.endNanos() - sinceNanos >= 0 && matches.test(c))
        .findFirst();
  }

  /** How many calls started at or after {@code sinceNanos} and match. */
  long countStartedSince(long sinceNanos, Predicate<Call> matches) {
    return calls.stream().filter(c -> c.startNanos() - sinceNanos >= 0 && matches.test(c)).count();
  }

  /** Stops the load (waits for the call in flight) and closes the channel. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(callerDeadline.toMillis() + 5_000);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
