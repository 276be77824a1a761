package dev.sieve.core.limit;

import com.netflix.concurrency.limits.Limiter;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admits a call to a server only while the {@link AdaptiveConcurrencyLimiter} has room; over the
 * limit the call is closed at once with {@code RESOURCE_EXHAUSTED} and a description naming the
 * limit, before its request message is parsed or any work is done for it.
 *
 * <p>Only the methods named in {@code limitedMethods} (bare names, e.g. {@code Score}) are limited:
 * a cheap {@code Describe} must keep answering under overload so that the router keeps knowing what
 * the tier serves.
 *
 * <p>What the limit learns: the time from the call's start to its close. An {@code OK} close is a
 * latency sample ({@code onSuccess}); any other close, and a cancellation, teaches nothing ({@code
 * onIgnore}), because a fast refusal by the service's own admission (content tier: deadline
 * admission) or a caller's short deadline says nothing about how long the work takes, and would
 * otherwise pull the measured latency down and the limit up.
 */
public final class ConcurrencyLimitServerInterceptor implements ServerInterceptor {

  private final AdaptiveConcurrencyLimiter limiter;
  private final Set<String> limitedMethods;

  public ConcurrencyLimitServerInterceptor(
      AdaptiveConcurrencyLimiter limiter, Set<String> limitedMethods) {
    this.limiter = limiter;
    this.limitedMethods = Set.copyOf(limitedMethods);
  }

  /**
   * The environment prefix of a tier server's limit: SIEVE_CONCURRENCY_LIMIT, _INITIAL, _MIN, _MAX.
   */
  public static final String SETTINGS_PREFIX = "SIEVE_CONCURRENCY_LIMIT";

  /**
   * The limit on a Scorer service's {@code Score} calls as configured under {@link
   * #SETTINGS_PREFIX} ({@code defaults} otherwise), its meters registered; empty when configured
   * {@code off}.
   */
  public static Optional<ConcurrencyLimitServerInterceptor> forScorer(
      String service, ConcurrencyLimitSettings defaults, MeterRegistry registry) {
    ConcurrencyLimitSettings settings =
        ConcurrencyLimitSettings.fromEnvironment(SETTINGS_PREFIX, defaults);
    if (!settings.enabled()) {
      return Optional.empty();
    }
    AdaptiveConcurrencyLimiter limiter =
        new AdaptiveConcurrencyLimiter(service, settings).bindMetrics(registry, "server");
    return Optional.of(new ConcurrencyLimitServerInterceptor(limiter, Set.of("Score")));
  }

  public AdaptiveConcurrencyLimiter limiter() {
    return limiter;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!limitedMethods.contains(call.getMethodDescriptor().getBareMethodName())) {
      return next.startCall(call, headers);
    }
    Optional<Limiter.Listener> permit = limiter.tryAcquire();
    if (permit.isEmpty()) {
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              limiter.name()
                  + " overloaded: concurrency limit reached ("
                  + limiter.inFlight()
                  + " calls in flight, adaptive limit "
                  + limiter.limit()
                  + "); refused before any work"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Settlement settlement = new Settlement(permit.get());
    ServerCall<ReqT, RespT> settling =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (status.isOk()) {
              settlement.success();
            } else {
              settlement.ignore();
            }
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<ReqT> delegate;
    try {
      delegate = next.startCall(settling, headers);
    } catch (RuntimeException e) {
      settlement.ignore();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onCancel() {
        settlement.ignore();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        // Closed by then (close() settles first); settles a call that completed without close().
        settlement.ignore();
        super.onComplete();
      }
    };
  }

  /** Settles a permit exactly once, whichever of close, cancel or complete comes first. */
  static final class Settlement {
    private final Limiter.Listener permit;
    private final AtomicBoolean settled = new AtomicBoolean();

    Settlement(Limiter.Listener permit) {
      this.permit = permit;
    }

    void success() {
      if (settled.compareAndSet(false, true)) {
        permit.onSuccess();
      }
    }

    void dropped() {
      if (settled.compareAndSet(false, true)) {
        permit.onDropped();
      }
    }

    void ignore() {
      if (settled.compareAndSet(false, true)) {
        permit.onIgnore();
      }
    }
  }
}
