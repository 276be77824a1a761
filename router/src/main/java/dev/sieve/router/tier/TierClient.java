package dev.sieve.router.tier;

import dev.sieve.core.limit.AdaptiveConcurrencyLimiter;
import dev.sieve.core.limit.ConcurrencyLimitClientInterceptor;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.logging.RateLimitedLog;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's connection to one deployed tier, through the {@code sieve.v1.Scorer} stub only.
 *
 * <p>Owns everything that protects the fleet from a slow or failing tier: the per-call deadline
 * (the caller's deadline minus a margin, capped by the tier's timeout; a call whose budget is
 * already gone is never started), a resilience4j circuit breaker (open: the tier is not called,
 * state CIRCUIT_OPEN), a semaphore bulkhead (full: REJECTED at once, never queued; the hard cap)
 * and, inside it, an adaptive concurrency limit on the channel ({@link
 * ConcurrencyLimitClientInterceptor}, AIMD by default: each call that times out shrinks it by 10 %,
 * answers while it is half used grow it by one; the tier's sheds leave it alone; over it: REJECTED
 * at once, not sent). Breaker accounting is explicit because the call is asynchronous:
 *
 * <ul>
 *   <li>INVALID_ARGUMENT is the caller's fault, not the tier's: the permission is released, nothing
 *       is recorded;
 *   <li>a DEADLINE_EXCEEDED is recorded only when the tier's own timeout was the binding deadline;
 *       a caller who allows 2 ms must not open the breaker for everyone;
 *   <li>a call cancelled because the caller went away is not recorded;
 *   <li>RESOURCE_EXHAUSTED is not recorded either, whether the tier shed the call (its admission or
 *       its concurrency limit) or the router's own limit refused to send it: a shed is a working
 *       tier protecting itself, answered in microseconds, not a broken one. Counting sheds as
 *       failures made sustained overload open the breaker, which then refused the calls the tier
 *       could still serve (goodput 0 for the open wait) and turned overload into an outage. The
 *       request is still answered degraded (REJECTED: not cached, fail-closed blocks without
 *       alert);
 *   <li>every other error (UNAVAILABLE, INTERNAL, UNKNOWN, ...) is a failure.
 * </ul>
 *
 * <p>Outages are logged, rate-limited per tier and kind ({@link RateLimitedLog}): the tier going
 * down (its first failure after an answer), coming back up, every breaker state transition (from
 * resilience4j's event publisher) and a full bulkhead. A call cut short by the caller's deadline is
 * neither a failure nor logged: it is the caller's choice.
 *
 * <p>Every outcome carries the model it is about: the answer's own lineage, or, for a call that got
 * no answer, this tier's last Describe (what would have answered).
 *
 * <p>Completion callbacks run on the channel's executor (direct in production: they only merge
 * arrays and hand a response to gRPC, never block).
 */
public final class TierClient {

  private static final Logger log = LoggerFactory.getLogger(TierClient.class);

  private final TierName tier;
  private final ScorerGrpc.ScorerStub stub;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final long timeoutNanos;
  private final long marginNanos;
  private final TierOutcome expiredBeforeStart;
  private final TierOutcome circuitOpen;
  private final TierOutcome bulkheadFull;
  private volatile TierCoverage coverage;
  private final Channel channel;

  /** The router's adaptive limit for this tier, or null when it is off. */
  private final AdaptiveConcurrencyLimiter limiter;

  /** True after a recorded failure until the next answer: drives the down/up log lines. */
  private final AtomicBoolean down = new AtomicBoolean();

  private final AtomicLong failuresWhileDown = new AtomicLong();
  private volatile long downSinceNanos;

  /** Per client, so that each tier (and each fleet, in tests) has its own rate limits. */
  private final RateLimitedLog healthLog = new RateLimitedLog(log);

  /**
   * @param channel channel to the tier (owned by the caller)
   * @param settings timeout, bulkhead and breaker configuration
   * @param deadlineMargin time kept back from the caller's deadline to merge and answer
   */
  public TierClient(
      TierName tier, Channel channel, ResilienceSettings settings, Duration deadlineMargin) {
    this.tier = tier;
    this.channel = channel;
    if (settings.concurrencyLimit().enabled()) {
      this.limiter = new AdaptiveConcurrencyLimiter(tier.wireName(), settings.concurrencyLimit());
      this.stub =
          ScorerGrpc.newStub(
              ClientInterceptors.intercept(
                  channel,
                  new ConcurrencyLimitClientInterceptor(
                      limiter,
                      Set.of("Score"),
                      "router's concurrency limit for the " + tier.wireName() + " tier")));
    } else {
      this.limiter = null;
      this.stub = ScorerGrpc.newStub(channel);
    }
    this.timeoutNanos = settings.timeout().toNanos();
    this.marginNanos = deadlineMargin.toNanos();
    this.breaker =
        CircuitBreaker.of(
            "tier-" + tier.wireName(),
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpen())
                .writableStackTraceEnabled(false)
                .clock(settings.clock())
                .build());
    this.bulkhead =
        Bulkhead.of(
            "tier-" + tier.wireName(),
            BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
    this.breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.StateTransition transition = event.getStateTransition();
              CircuitBreaker.Metrics metrics = breaker.getMetrics();
              boolean recovering = transition.getToState() == CircuitBreaker.State.CLOSED;
              healthLog.log(
                  !recovering,
                  tier.wireName() + "/breaker-" + transition.getToState(),
                  "tier {}: circuit breaker {} -> {} (failure rate {} over the last {} calls)",
                  tier.wireName(),
                  transition.getFromState(),
                  transition.getToState(),
                  metrics.getFailureRate() < 0
                      ? "n/a"
                      : String.format(Locale.ROOT, "%.1f%%", metrics.getFailureRate()),
                  metrics.getNumberOfBufferedCalls());
            });
    this.expiredBeforeStart =
        TierOutcome.notCalledForCallerDeadline(
            tier, "caller deadline expired before the call started");
    this.circuitOpen =
        TierOutcome.notCalled(tier, TierState.TIER_STATE_CIRCUIT_OPEN, "circuit breaker open");
    this.bulkheadFull =
        TierOutcome.notCalled(
            tier,
            TierState.TIER_STATE_REJECTED,
            "router bulkhead full (" + settings.maxConcurrentCalls() + " concurrent calls)");
    this.coverage = TierCoverage.assumed(tier);
  }

  public TierName tier() {
    return tier;
  }

  /** What the tier last said it serves (or the startup assumption). */
  public TierCoverage coverage() {
    return coverage;
  }

  /** The router's adaptive concurrency limit for this tier, or null when it is off. */
  public AdaptiveConcurrencyLimiter concurrencyLimiter() {
    return limiter;
  }

  /** The breaker's state (for tests and diagnostics). */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  /**
   * Scores {@code request} asynchronously; {@code done} receives exactly one outcome.
   *
   * @param callerDeadline the caller's deadline, or null when it set none
   * @param callerContext the server call's context, attached so that a caller's cancellation
   *     cancels the tier call; null outside a server call
   */
  public void score(
      ScoreRequest request,
      Deadline callerDeadline,
      Context callerContext,
      Consumer<TierOutcome> done) {
    long budget = timeoutNanos;
    boolean callerBound = false;
    if (callerDeadline != null) {
      long remaining = callerDeadline.timeRemaining(TimeUnit.NANOSECONDS) - marginNanos;
      if (remaining < budget) {
        budget = remaining;
        callerBound = true;
      }
    }
    if (budget <= 0) {
      done.accept(expiredBeforeStart.withModel(coverage.model()));
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      done.accept(circuitOpen.withModel(coverage.model()));
      return;
    }
    if (!bulkhead.tryAcquirePermission()) {
      breaker.releasePermission();
      healthLog.warn(
          tier.wireName() + "/bulkhead", "tier {}: {}", tier.wireName(), bulkheadFull.detail());
      done.accept(bulkheadFull.withModel(coverage.model()));
      return;
    }
    CallObserver observer = new CallObserver(callerBound, callerContext, done);
    Context previous = callerContext == null ? null : callerContext.attach();
    try {
      stub.withDeadlineAfter(budget, TimeUnit.NANOSECONDS)
          .withOption(ConcurrencyLimitClientInterceptor.CALLER_BOUND, callerBound)
          .score(request, observer);
    } catch (RuntimeException e) {
      observer.onError(e);
    } finally {
      if (callerContext != null) {
        callerContext.detach(previous);
      }
    }
  }

  /**
   * Asks the tier what it serves and updates {@link #coverage()}; failures keep the previous value.
   */
  public CompletableFuture<TierCoverage> refreshCoverage(Duration timeout) {
    CompletableFuture<TierCoverage> result = new CompletableFuture<>();
    stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .describe(
            DescribeRequest.getDefaultInstance(),
            new StreamObserver<>() {
              private TierDescription description;

              @Override
              public void onNext(TierDescription value) {
                description = value;
              }

              @Override
              public void onError(Throwable t) {
                log.debug("tier {}: Describe failed: {}", tier.wireName(), Status.fromThrowable(t));
                result.complete(coverage);
              }

              @Override
              public void onCompleted() {
                if (description == null || description.getCategoriesCount() == 0) {
                  // A tier still loading its model answers Describe with no categories
                  // (DeferredScorer). Taking that as its coverage would mark the tier described
                  // and covering nothing, so an outage in the next refresh period would fail
                  // open; keep the previous coverage (the fail-closed assumption at startup)
                  // and let the undescribed-tier refresh ask again.
                  log.debug("tier {}: Describe named no categories yet", tier.wireName());
                  result.complete(coverage);
                  return;
                }
                TierCoverage updated = TierCoverage.fromDescription(description);
                if (!updated.sameAs(coverage)) {
                  log.info(
                      "tier {}: model {} {}, {} core + emerging {} categories",
                      tier.wireName(),
                      updated.model().getName(),
                      updated.model().getVersion(),
                      count(updated.core()),
                      updated.emerging());
                }
                coverage = updated;
                result.complete(updated);
              }
            });
    return result;
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean flag : flags) {
      n += flag ? 1 : 0;
    }
    return n;
  }

  /** Receives the tier's answer and settles breaker and bulkhead exactly once. */
  private final class CallObserver implements StreamObserver<ScoreResponse> {
    private final long start = System.nanoTime();
    private final boolean callerBound;
    private final Context callerContext;
    private final Consumer<TierOutcome> done;
    private ScoreResponse response;
    private boolean finished;

    CallObserver(boolean callerBound, Context callerContext, Consumer<TierOutcome> done) {
      this.callerBound = callerBound;
      this.callerContext = callerContext;
      this.done = done;
    }

    @Override
    public void onNext(ScoreResponse value) {
      response = value;
    }

    @Override
    public void onCompleted() {
      if (finished) {
        return;
      }
      finished = true;
      long elapsed = System.nanoTime() - start;
      bulkhead.onComplete();
      if (response == null) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new IllegalStateException("no response"));
        markDown("completed without a response");
        done.accept(
            new TierOutcome(
                tier,
                TierState.TIER_STATE_ERROR,
                elapsed / 1000,
                null,
                "tier completed without a response",
                Status.Code.INTERNAL,
                false,
                coverage.model()));
        return;
      }
      breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      markUp();
      done.accept(
          new TierOutcome(
              tier, TierState.TIER_STATE_OK, elapsed / 1000, response, "", Status.Code.OK));
    }

    @Override
    public void onError(Throwable t) {
      if (finished) {
        return;
      }
      finished = true;
      long elapsed = System.nanoTime() - start;
      bulkhead.onComplete();
      Status status = Status.fromThrowable(t);
      Status.Code code = status.getCode();
      TierState state;
      boolean recordFailure;
      switch (code) {
        case INVALID_ARGUMENT -> {
          state = TierState.TIER_STATE_ERROR;
          recordFailure = false;
        }
        case DEADLINE_EXCEEDED -> {
          state = TierState.TIER_STATE_TIMEOUT;
          recordFailure = !callerBound;
        }
        case RESOURCE_EXHAUSTED -> {
          // Shed by the tier or refused by the router's limit: overload, not an outage (class
          // comment).
          state = TierState.TIER_STATE_REJECTED;
          recordFailure = false;
          boolean local = ConcurrencyLimitClientInterceptor.isLocalRejection(status);
          healthLog.warn(
              tier.wireName() + (local ? "/limit" : "/shed"),
              "tier {}: {}: {}",
              tier.wireName(),
              local ? "not sent, router limit reached" : "shedding load",
              abbreviate(String.valueOf(status.getDescription())));
        }
        case CANCELLED -> {
          state = TierState.TIER_STATE_ERROR;
          recordFailure = callerContext == null || !callerContext.isCancelled();
        }
        case UNAVAILABLE -> {
          state = TierState.TIER_STATE_ERROR;
          recordFailure = true;
          // A tier that was down at start-up (or restarted) leaves the channel waiting out an
          // exponential reconnect backoff (up to minutes); reconnect now, so the next call finds
          // it.
          if (channel instanceof ManagedChannel managed) {
            managed.resetConnectBackoff();
          }
        }
        default -> {
          state = TierState.TIER_STATE_ERROR;
          recordFailure = true;
        }
      }
      String description = status.getDescription();
      String detail =
          code + (description == null || description.isEmpty() ? "" : ": " + description);
      if (recordFailure) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, t);
        markDown(abbreviate(detail));
      } else {
        breaker.releasePermission();
      }
      boolean cutByCaller = code == Status.Code.DEADLINE_EXCEEDED && callerBound;
      if (cutByCaller) {
        detail = "caller deadline: " + detail;
      }
      done.accept(
          new TierOutcome(
              tier,
              state,
              elapsed / 1000,
              null,
              abbreviate(detail),
              code,
              cutByCaller,
              coverage.model()));
    }
  }

  /** A failure the breaker records: the first one after an answer writes "tier down". */
  private void markDown(String detail) {
    if (down.compareAndSet(false, true)) {
      downSinceNanos = System.nanoTime();
      failuresWhileDown.set(1);
      healthLog.warn(
          tier.wireName() + "/down",
          "tier {}: down: {} (breaker {})",
          tier.wireName(),
          detail,
          breaker.getState());
    } else {
      failuresWhileDown.incrementAndGet();
    }
  }

  /** An answer: the first one after a failure writes "tier up". */
  private void markUp() {
    if (down.get() && down.compareAndSet(true, false)) {
      long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos);
      healthLog.info(
          tier.wireName() + "/up",
          "tier {}: up again after {} ms ({} failed calls; breaker {})",
          tier.wireName(),
          downMillis,
          failuresWhileDown.get(),
          breaker.getState());
    }
  }

  private static String abbreviate(String detail) {
    return detail.length() <= 200 ? detail : detail.substring(0, 200) + "...";
  }
}
