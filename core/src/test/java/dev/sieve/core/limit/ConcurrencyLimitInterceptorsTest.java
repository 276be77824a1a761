package dev.sieve.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server and client interceptors over an in-process gRPC server: refusals, what each outcome
 * teaches the limit, and that unlimited methods pass. Calls are held open by the service until the
 * test releases them, so "in flight" is exact; nothing asserts a duration.
 */
class ConcurrencyLimitInterceptorsTest {

  /** A Scorer that parks Score calls until released, or answers them with a fixed status. */
  static final class HeldScorer extends ScorerGrpc.ScorerImplBase {
    final BlockingQueue<StreamObserver<ScoreResponse>> held = new LinkedBlockingQueue<>();
    final AtomicInteger received = new AtomicInteger();
    final AtomicReference<Status> answer = new AtomicReference<>(); // null: hold

    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> responses) {
      received.incrementAndGet();
      Status status = answer.get();
      if (status == null) {
        held.add(responses);
      } else if (status.isOk()) {
        responses.onNext(ScoreResponse.getDefaultInstance());
        responses.onCompleted();
      } else {
        responses.onError(status.asRuntimeException());
      }
    }

    @Override
    public void describe(DescribeRequest request, StreamObserver<TierDescription> responses) {
      responses.onNext(TierDescription.newBuilder().setTier("test").build());
      responses.onCompleted();
    }

    StreamObserver<ScoreResponse> next() throws InterruptedException {
      StreamObserver<ScoreResponse> call = held.poll(30, TimeUnit.SECONDS);
      assertThat(call).as("a held call reached the service").isNotNull();
      return call;
    }

    void answerHeld(int n) throws InterruptedException {
      for (int i = 0; i < n; i++) {
        StreamObserver<ScoreResponse> call = next();
        call.onNext(ScoreResponse.getDefaultInstance());
        call.onCompleted();
      }
    }
  }

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HeldScorer scorer = new HeldScorer();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private ManagedChannel serve(ServerServiceDefinition service) throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    closing.add(
        () -> {
          channel.shutdownNow();
          server.shutdownNow();
        });
    // Connect (and load classes) before any test call, whose deadline may be short.
    ScorerGrpc.newBlockingStub(channel).describe(DescribeRequest.getDefaultInstance());
    return channel;
  }

  private static CompletableFuture<Status> score(
      Channel channel, Duration deadline, boolean callerBound) {
    CompletableFuture<Status> result = new CompletableFuture<>();
    ScorerGrpc.ScorerStub stub =
        ScorerGrpc.newStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    if (callerBound) {
      stub = stub.withOption(ConcurrencyLimitClientInterceptor.CALLER_BOUND, true);
    }
    stub.score(
        ScoreRequest.getDefaultInstance(),
        new StreamObserver<>() {
          @Override
          public void onNext(ScoreResponse value) {}

          @Override
          public void onError(Throwable t) {
            result.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            result.complete(Status.OK);
          }
        });
    return result;
  }

  @Test
  void serverRefusesOverTheLimitWithResourceExhaustedBeforeTheServiceSeesTheCall()
      throws Exception {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter("content-service", ConcurrencyLimitSettings.fixed(2));
    ManagedChannel channel =
        serve(
            ServerInterceptors.intercept(
                scorer, new ConcurrencyLimitServerInterceptor(limiter, Set.of("Score"))));

    CompletableFuture<Status> first = score(channel, Duration.ofSeconds(30), false);
    CompletableFuture<Status> second = score(channel, Duration.ofSeconds(30), false);
    StreamObserver<ScoreResponse> a = scorer.next();
    StreamObserver<ScoreResponse> b = scorer.next();
    Status third = score(channel, Duration.ofSeconds(30), false).get(30, TimeUnit.SECONDS);

    assertThat(third.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(third.getDescription())
        .isEqualTo(
            "content-service overloaded: concurrency limit reached (2 calls in flight, adaptive limit 2); refused before any work");
    assertThat(scorer.received).hasValue(2);
    assertThat(limiter.rejected()).isEqualTo(1);
    // Describe is not limited: the router keeps learning what the tier serves while it is full.
    assertThat(
            ScorerGrpc.newBlockingStub(channel)
                .describe(DescribeRequest.getDefaultInstance())
                .getTier())
        .isEqualTo("test");

    a.onNext(ScoreResponse.getDefaultInstance());
    a.onCompleted();
    b.onError(Status.INTERNAL.withDescription("boom").asRuntimeException());
    assertThat(first.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(second.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(limiter.inFlight()).isZero();

    CompletableFuture<Status> again = score(channel, Duration.ofSeconds(30), false);
    scorer.answerHeld(1);
    assertThat(again.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void serverReleasesThePermitOfACallTheClientCancels() throws Exception {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter("llm-fallback-service", ConcurrencyLimitSettings.fixed(1));
    ManagedChannel channel =
        serve(
            ServerInterceptors.intercept(
                scorer, new ConcurrencyLimitServerInterceptor(limiter, Set.of("Score"))));
    Context.CancellableContext caller = Context.current().withCancellation();
    CompletableFuture<Status> cancelled =
        caller.call(() -> score(channel, Duration.ofSeconds(30), false));
    scorer.next();
    caller.cancel(null);
    assertThat(cancelled.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    // The server learns of the cancellation asynchronously; the next call gets in once it has.
    Status next;
    int attempts = 0;
    do {
      CompletableFuture<Status> call = score(channel, Duration.ofSeconds(30), false);
      if (scorer.held.poll(10, TimeUnit.MILLISECONDS)
          instanceof StreamObserver<ScoreResponse> held) {
        held.onNext(ScoreResponse.getDefaultInstance());
        held.onCompleted();
      }
      next = call.get(30, TimeUnit.SECONDS);
    } while (next.getCode() == Status.Code.RESOURCE_EXHAUSTED && ++attempts < 1000);
    assertThat(next.getCode()).isEqualTo(Status.Code.OK);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void clientRefusesLocallyOverTheLimitWithoutSending() throws Exception {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter("content", ConcurrencyLimitSettings.fixed(2));
    Channel channel =
        ClientInterceptors.intercept(
            serve(scorer.bindService()),
            new ConcurrencyLimitClientInterceptor(
                limiter, Set.of("Score"), "router's concurrency limit for the content tier"));
    score(channel, Duration.ofSeconds(30), false);
    score(channel, Duration.ofSeconds(30), false);
    scorer.next();
    scorer.next();

    Status refused = score(channel, Duration.ofSeconds(30), false).get(30, TimeUnit.SECONDS);
    assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getDescription())
        .isEqualTo(
            "router's concurrency limit for the content tier reached (2 calls in flight, adaptive limit 2); not sent");
    assertThat(ConcurrencyLimitClientInterceptor.isLocalRejection(refused)).isTrue();
    assertThat(scorer.received).hasValue(2);

    // A peer's own RESOURCE_EXHAUSTED is not a local refusal.
    StatusRuntimeException fromPeer =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> {
              throw Status.RESOURCE_EXHAUSTED
                  .withDescription("content overloaded")
                  .asRuntimeException();
            });
    assertThat(ConcurrencyLimitClientInterceptor.isLocalRejection(fromPeer.getStatus())).isFalse();
  }

  @Test
  void clientLimitBacksOffOnTheCallsOwnTimeoutsNotOnShedsNorOnTheCallersDeadline()
      throws Exception {
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter(
            "content", ConcurrencyLimitSettings.aimd(50, 4, 100, Duration.ofSeconds(30)));
    Channel channel =
        ClientInterceptors.intercept(
            serve(scorer.bindService()),
            new ConcurrencyLimitClientInterceptor(limiter, Set.of("Score"), "limit"));

    // Caller-bound deadlines that expire teach nothing. (The service holds calls that reach it; on
    // a busy machine a 20 ms deadline may also expire before the call is sent: the same close.)
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Status> cut = score(channel, Duration.ofMillis(20), true);
      assertThat(cut.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
    assertThat(limiter.limit()).isEqualTo(50);
    // The call's own timeout expiring is a drop.
    CompletableFuture<Status> timedOut = score(channel, Duration.ofMillis(20), false);
    assertThat(timedOut.get(30, TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(limiter.limit()).isEqualTo(45);

    // Further timeouts back off by 10 % each, down to the minimum.
    for (int i = 0; i < 40; i++) {
      CompletableFuture<Status> slow = score(channel, Duration.ofMillis(20), false);
      assertThat(slow.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
    assertThat(limiter.limit()).isEqualTo(4);

    // The peer's sheds are its own admission at work: they leave the limit alone.
    scorer.answer.set(
        Status.RESOURCE_EXHAUSTED.withDescription("content overloaded: shed at admission"));
    for (int i = 0; i < 10; i++) {
      assertThat(score(channel, Duration.ofSeconds(30), false).get(30, TimeUnit.SECONDS).getCode())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
    assertThat(limiter.limit()).isEqualTo(4);

    // An outage is not congestion: UNAVAILABLE leaves the limit alone.
    scorer.answer.set(Status.UNAVAILABLE);
    score(channel, Duration.ofSeconds(30), false).get(30, TimeUnit.SECONDS);
    assertThat(limiter.limit()).isEqualTo(4);

    // Answers while the limit is in use raise it again.
    scorer.held.clear(); // the timed-out calls that reached the service: already cancelled
    scorer.answer.set(null);
    List<CompletableFuture<Status>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(score(channel, Duration.ofSeconds(30), false));
    }
    scorer.answerHeld(4);
    for (CompletableFuture<Status> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    }
    assertThat(limiter.limit()).isGreaterThan(4);
    assertThat(limiter.inFlight()).isZero();
  }
}
