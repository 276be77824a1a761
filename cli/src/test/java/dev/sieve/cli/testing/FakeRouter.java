package dev.sieve.cli.testing;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryAction;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in router for client tests: answers Classify after a random delay (so completions come
 * back out of order), with one verdict per taxonomy category; URLs containing "invalid" get
 * INVALID_ARGUMENT; hosts containing "pokerstars" are gambling with a list-match reason; URLs
 * containing "down" always come back degraded (content CIRCUIT_OPEN, fail-closed BLOCK); with
 * {@link #capacity}, a call that arrives while that many are in flight comes back degraded (content
 * REJECTED), as a real fleet past its capacity answers.
 */
public final class FakeRouter implements AutoCloseable {

  private final GrpcServerLauncher launcher;
  private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);
  private final AtomicInteger calls = new AtomicInteger();
  private final Set<String> flakySeen = ConcurrentHashMap.newKeySet();
  private final Set<String> cached = ConcurrentHashMap.newKeySet();
  private final AtomicInteger bypassed = new AtomicInteger();
  private volatile boolean emulateCache;
  private volatile int capacity = Integer.MAX_VALUE;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger degradedAnswers = new AtomicInteger();
  private final int maxDelayMillis;

  public FakeRouter(int maxDelayMillis) throws IOException {
    this.maxDelayMillis = maxDelayMillis;
    this.launcher =
        GrpcServerLauncher.builder("fake-router")
            .host("127.0.0.1")
            .port(0)
            .addService(new Service())
            .build()
            .start();
    launcher.markServing();
  }

  public String target() {
    return "127.0.0.1:" + launcher.port();
  }

  public int calls() {
    return calls.get();
  }

  /** Calls that asked to bypass the verdict cache. */
  public int bypassed() {
    return bypassed.get();
  }

  /**
   * Answers like the real router's verdict cache: a URL seen before (by a call that did not bypass
   * the cache) comes back with {@code cache_hit = true}.
   */
  public FakeRouter emulateCache() {
    emulateCache = true;
    return this;
  }

  /**
   * Answers degraded (content REJECTED) to a call that arrives while {@code calls} are in flight.
   */
  public FakeRouter capacity(int calls) {
    capacity = calls;
    return this;
  }

  /** The most calls seen in flight at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Answers that were degraded (over capacity or "down"). */
  public int degradedAnswers() {
    return degradedAnswers.get();
  }

  /** A fail-closed verdict: the content tier did not answer, self_harm blocked by on_tier_loss. */
  public static ClassifyResponse degraded(ClassifyRequest request, TierState contentState) {
    ClassifyResponse healthy = verdict(request);
    ClassifyResponse.Builder response =
        healthy.toBuilder()
            .setAction(Action.ACTION_BLOCK)
            .setPrimaryCategory("self_harm")
            .setTtlSeconds(0)
            .setDegraded(true)
            .addDegradedReasons(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
    for (int i = 0; i < response.getTiersCount(); i++) {
      if (response.getTiers(i).getTier().equals("content")) {
        response.setTiers(
            i, response.getTiers(i).toBuilder().setState(contentState).setDetail("fake overload"));
      }
    }
    return response.build();
  }

  public static ClassifyResponse verdict(ClassifyRequest request) {
    boolean gambling = request.getUrl().contains("pokerstars");
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setRequestId("req-" + Math.abs(request.getUrl().hashCode()))
            .setAction(gambling ? Action.ACTION_BLOCK : Action.ACTION_ALLOW)
            .setPrimaryCategory(gambling ? "gambling" : "")
            .setPolicyId("default")
            .setPolicyVersion("2025-01")
            .setTtlSeconds(3600)
            .setNormalizedUrl(request.getUrl().toLowerCase(Locale.ROOT));
    for (String id : Taxonomy.v1().ids()) {
      double score = gambling && id.equals("gambling") ? 0.99 : id.equals("news") ? 0.02 : 0.0;
      response.addCategories(
          CategoryVerdict.newBuilder()
              .setCategory(id)
              .setScore(score)
              .setThreshold(0.5)
              .setDecision(score >= 0.5)
              .setAction(CategoryAction.CATEGORY_ACTION_BLOCK)
              .addAllTiers(score > 0 ? List.of("url") : List.of()));
    }
    if (gambling) {
      response.addReasons(
          Reason.newBuilder()
              .setCategory("gambling")
              .setTier("url")
              .setEvidence(
                  Evidence.newBuilder()
                      .setKind(Evidence.Kind.KIND_LIST_MATCH)
                      .setCategory("gambling")
                      .setDetail("pokerstars.com")
                      .setSource("ut1/gambling")));
    }
    response.addTiers(
        TierStatus.newBuilder()
            .setTier("url")
            .setState(TierState.TIER_STATE_OK)
            .setLatencyMicros(420)
            .setModel(
                ModelInfo.newBuilder()
                    .setName("url-table")
                    .setVersion("t-1")
                    .setDatasetVersion("ds-fixture")));
    response.addTiers(
        TierStatus.newBuilder()
            .setTier("content")
            .setState(TierState.TIER_STATE_SKIPPED)
            .setDetail("no page body"));
    response.addTiers(
        TierStatus.newBuilder().setTier("llm").setState(TierState.TIER_STATE_NOT_DEPLOYED));
    return response.build();
  }

  private final class Service extends ClassifierGrpc.ClassifierImplBase {
    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
      calls.incrementAndGet();
      if (request.getBypassCache()) {
        bypassed.incrementAndGet();
      }
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      boolean overCapacity = now > capacity;
      Runnable respond =
          () -> {
            if (request.getUrl().contains("down") || overCapacity) {
              degradedAnswers.incrementAndGet();
              observer.onNext(
                  degraded(
                      request,
                      overCapacity
                          ? TierState.TIER_STATE_REJECTED
                          : TierState.TIER_STATE_CIRCUIT_OPEN));
              observer.onCompleted();
            } else if (request.getUrl().contains("invalid")) {
              observer.onError(
                  Status.INVALID_ARGUMENT
                      .withDescription("malformed URL: " + request.getUrl())
                      .asRuntimeException());
            } else if (request.getUrl().isEmpty()
                && request.getText().isEmpty()
                && request.getHtml().isEmpty()) {
              observer.onError(
                  Status.INVALID_ARGUMENT.withDescription("empty request").asRuntimeException());
            } else if (request.getUrl().contains("flaky") && flakySeen.add(request.getUrl())) {
              // First sight of a "flaky" host: the url tier timed out under load.
              ClassifyResponse first = verdict(request);
              observer.onNext(
                  first.toBuilder()
                      .setTiers(
                          0,
                          first.getTiers(0).toBuilder()
                              .setState(TierState.TIER_STATE_TIMEOUT)
                              .setDetail("deadline exceeded"))
                      .build());
              observer.onCompleted();
            } else {
              boolean hit =
                  emulateCache && !request.getBypassCache() && !cached.add(request.getUrl());
              observer.onNext(verdict(request).toBuilder().setCacheHit(hit).build());
              observer.onCompleted();
            }
          };
      Runnable answer =
          () -> {
            // Out of flight before the answer leaves: the client may send its next call at once.
            inFlight.decrementAndGet();
            respond.run();
          };
      int delay = maxDelayMillis == 0 ? 0 : ThreadLocalRandom.current().nextInt(maxDelayMillis + 1);
      delays.schedule(answer, delay, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    launcher.shutdownGracefully(Duration.ofSeconds(2));
    delays.shutdownNow();
  }
}
