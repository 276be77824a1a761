package dev.sieve.core.limit;

import com.netflix.concurrency.limits.Limiter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a call to the peer only while the {@link AdaptiveConcurrencyLimiter} has room; over the
 * limit the call fails locally with {@code RESOURCE_EXHAUSTED} (cause {@link LimitReached}, see
 * {@link #isLocalRejection(Status)}) without touching the network. The limit follows the peer's
 * latency and timeouts: a peer that answers slower than the call's timeout, or lets calls time out,
 * gets fewer calls at once; one that answers in time gets more.
 *
 * <p>What the limit learns from each call's close:
 *
 * <ul>
 *   <li>{@code OK}: a latency sample ({@code onSuccess});
 *   <li>{@code RESOURCE_EXHAUSTED} from the peer: nothing ({@code onIgnore}). The peer shed the
 *       call by its own admission, which is already cheap and precise (the content tier admits what
 *       can finish in its deadline). Counting each shed as a drop was measured to collapse the
 *       limit: under overload a peer sheds hundreds of calls a second, each one cut the AIMD limit
 *       by 10 %, the limit sat at its minimum and the router refused calls the peer could have
 *       served (goodput at 8x overload 53 % of the peak against 88 % without the limit,
 *       docs/reliability.md);
 *   <li>{@code DEADLINE_EXCEEDED}: a drop when the call's own timeout bound it, nothing when the
 *       caller's shorter deadline did (set {@link #CALLER_BOUND} on the call options): a caller who
 *       allows 2 ms says nothing about the peer;
 *   <li>anything else (UNAVAILABLE, INTERNAL, CANCELLED, ...): nothing ({@code onIgnore}). An
 *       outage is the circuit breaker's business, not congestion.
 * </ul>
 */
public final class ConcurrencyLimitClientInterceptor implements ClientInterceptor {

  /**
   * Call option: true when the call's deadline is the caller's, shorter than the call's own
   * timeout.
   */
  public static final CallOptions.Key<Boolean> CALLER_BOUND =
      CallOptions.Key.createWithDefault("sieve-limit-caller-bound", false);

  private final AdaptiveConcurrencyLimiter limiter;
  private final Set<String> limitedMethods;
  private final String refusal;

  /**
   * @param limitedMethods bare method names that are limited (e.g. {@code Score})
   * @param refusal how the refusal describes the limit, e.g. "router's limit for the content tier"
   */
  public ConcurrencyLimitClientInterceptor(
      AdaptiveConcurrencyLimiter limiter, Set<String> limitedMethods, String refusal) {
    this.limiter = limiter;
    this.limitedMethods = Set.copyOf(limitedMethods);
    this.refusal = refusal;
  }

  public AdaptiveConcurrencyLimiter limiter() {
    return limiter;
  }

  /**
   * True when {@code status} is this interceptor's local refusal (the call never left the process).
   */
  public static boolean isLocalRejection(Status status) {
    return status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && status.getCause() instanceof LimitReached;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (!limitedMethods.contains(method.getBareMethodName())) {
      return next.newCall(method, callOptions);
    }
    Optional<Limiter.Listener> permit = limiter.tryAcquire();
    if (permit.isEmpty()) {
      Status status =
          Status.RESOURCE_EXHAUSTED
              .withDescription(
                  refusal
                      + " reached ("
                      + limiter.inFlight()
                      + " calls in flight, adaptive limit "
                      + limiter.limit()
                      + "); not sent")
              .withCause(LimitReached.INSTANCE);
      return new RefusedCall<>(status);
    }
    ConcurrencyLimitServerInterceptor.Settlement settlement =
        new ConcurrencyLimitServerInterceptor.Settlement(permit.get());
    boolean callerBound = Boolean.TRUE.equals(callOptions.getOption(CALLER_BOUND));
    ClientCall<ReqT, RespT> call;
    try {
      call = next.newCall(method, callOptions);
    } catch (RuntimeException e) {
      settlement.ignore();
      throw e;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        Listener<RespT> settling =
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                responseListener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                switch (status.getCode()) {
                  case OK -> settlement.success();
                  case DEADLINE_EXCEEDED -> {
                    if (callerBound) {
                      settlement.ignore();
                    } else {
                      settlement.dropped();
                    }
                  }
                  default -> settlement.ignore();
                }
                super.onClose(status, trailers);
              }
            };
        try {
          super.start(settling, headers);
        } catch (RuntimeException e) {
          settlement.ignore();
          throw e;
        }
      }
    };
  }

  /**
   * The cause of a local refusal: a marker, no stack trace (it is not an error of this process).
   */
  public static final class LimitReached extends RuntimeException {
    static final LimitReached INSTANCE = new LimitReached();

    private LimitReached() {
      super("concurrency limit reached", null, false, false);
    }
  }

  /** A call that was never sent: start() closes it with the refusal, everything else is a no-op. */
  private static final class RefusedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    private final Status status;

    RefusedCall(Status status) {
      this.status = status;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      responseListener.onClose(status, new Metadata());
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public void halfClose() {}

    @Override
    public void sendMessage(ReqT message) {}
  }
}
