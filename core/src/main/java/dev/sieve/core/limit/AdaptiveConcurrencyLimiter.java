package dev.sieve.core.limit;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One adaptive concurrency limit (Netflix concurrency-limits' {@link SimpleLimiter} over the limit
 * algorithm of {@link ConcurrencyLimitSettings}), with its metrics.
 *
 * <p>Why: a fixed cap on calls in flight is either too low (wasted capacity when the peer is fast)
 * or too high (a queue that grows until calls expire in it). An adaptive limit follows what the
 * peer can do now: it is the largest number of concurrent calls that does not raise latency
 * (Gradient2, TCP-Vegas-like: limit × longRtt/shortRtt + a small queue allowance) or that the peer
 * does not refuse (AIMD, TCP-Reno-like). A call over the limit is refused at once, which costs
 * microseconds instead of a queue slot, a parse and a deadline. Reference: Netflix Tech Blog,
 * "Performance Under Load" (2018), and the library's README
 * (github.com/Netflix/concurrency-limits).
 *
 * <p>The gRPC glue is ours ({@link ConcurrencyLimitServerInterceptor}, {@link
 * ConcurrencyLimitClientInterceptor}): the library's own {@code concurrency-limits-grpc} module is
 * not published on Maven Central.
 *
 * <p>Metrics (Prometheus names), tagged {@code side} (server / client) and {@code name}: {@code
 * sieve_concurrency_limit} (current limit), {@code sieve_concurrency_limit_in_flight}, {@code
 * sieve_concurrency_limit_rejected_total}.
 */
public final class AdaptiveConcurrencyLimiter {

  private static final Logger log = LoggerFactory.getLogger(AdaptiveConcurrencyLimiter.class);
  private static final Object CONTEXT = new Object();

  private final String name;
  private final ConcurrencyLimitSettings settings;
  private final SimpleLimiter<Object> limiter;
  private final AtomicLong rejected = new AtomicLong();

  /**
   * @param name what is limited, for descriptions, logs and the metrics' {@code name} tag
   * @param settings the algorithm and bounds; must be enabled
   * @param nanoClock the clock that measures round trips ({@code System::nanoTime}; a fake in
   *     tests)
   */
  public AdaptiveConcurrencyLimiter(
      String name, ConcurrencyLimitSettings settings, LongSupplier nanoClock) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException(name + ": concurrency limit is off; install no limiter");
    }
    this.name = name;
    this.settings = settings;
    Limit limit =
        switch (settings.algorithm()) {
          case GRADIENT2 ->
              Gradient2Limit.newBuilder()
                  .initialLimit(settings.initialLimit())
                  .minLimit(settings.minLimit())
                  .maxConcurrency(settings.maxLimit())
                  .build();
          case AIMD ->
              AIMDLimit.newBuilder()
                  .initialLimit(settings.initialLimit())
                  .minLimit(settings.minLimit())
                  .maxLimit(settings.maxLimit())
                  .timeout(settings.aimdTimeout().toNanos(), TimeUnit.NANOSECONDS)
                  .build();
          case FIXED -> FixedLimit.of(settings.initialLimit());
          case OFF -> throw new AssertionError();
        };
    limit.notifyOnChange(newLimit -> log.debug("{}: concurrency limit now {}", name, newLimit));
    this.limiter = SimpleLimiter.newBuilder().named(name).limit(limit).nanoClock(nanoClock).build();
  }

  public AdaptiveConcurrencyLimiter(String name, ConcurrencyLimitSettings settings) {
    this(name, settings, System::nanoTime);
  }

  /**
   * A permit for one call, or empty when the limit is reached (counted as rejected). The permit
   * must be settled exactly once: {@code onSuccess} (a latency sample), {@code onDropped} (the peer
   * refused or timed out: overload) or {@code onIgnore} (nothing learned, e.g. the caller
   * cancelled).
   */
  public Optional<Limiter.Listener> tryAcquire() {
    Optional<Limiter.Listener> permit = limiter.acquire(CONTEXT);
    if (permit.isEmpty()) {
      rejected.incrementAndGet();
    }
    return permit;
  }

  public String name() {
    return name;
  }

  public ConcurrencyLimitSettings settings() {
    return settings;
  }

  /** The limit now. */
  public int limit() {
    return limiter.getLimit();
  }

  /** Calls holding a permit now. */
  public int inFlight() {
    return limiter.getInflight();
  }

  /** Calls refused since start. */
  public long rejected() {
    return rejected.get();
  }

  /** Registers the limit, in-flight and rejection meters, tagged {@code side} and {@code name}. */
  public AdaptiveConcurrencyLimiter bindMetrics(MeterRegistry registry, String side) {
    Gauge.builder("sieve.concurrency.limit", this, AdaptiveConcurrencyLimiter::limit)
        .description("Adaptive concurrency limit now (calls allowed in flight)")
        .tag("side", side)
        .tag("name", name)
        .register(registry);
    Gauge.builder("sieve.concurrency.limit.in.flight", this, AdaptiveConcurrencyLimiter::inFlight)
        .description("Calls in flight under the adaptive concurrency limit")
        .tag("side", side)
        .tag("name", name)
        .register(registry);
    FunctionCounter.builder(
            "sieve.concurrency.limit.rejected", this, AdaptiveConcurrencyLimiter::rejected)
        .description("Calls refused because the adaptive concurrency limit was reached")
        .tag("side", side)
        .tag("name", name)
        .register(registry);
    return this;
  }

  @Override
  public String toString() {
    return name + ": " + settings + ", now " + limit() + " (" + inFlight() + " in flight)";
  }
}
