package dev.sieve.core.grpc;

/**
 * How long a client that wants the fleet's judgement rather than a fast answer (a batch, an
 * evaluation) waits before each new attempt after a degraded verdict (a tier timed out, shed, was
 * unavailable, or its circuit breaker was open).
 *
 * <p>Why these waits: the first is short (a queue that was full a moment ago), the later ones
 * outlast the router's circuit-breaker open waits (content 5 s, llm 10 s by default), so that a
 * half-open breaker lets the retry through. Shorter schedules (100-500 ms, tried before) retried
 * into the same open breaker five times and scored the degraded answer as the fleet's: on a
 * saturated machine that turned a self_harm positive into a miss on the fleet card.
 */
public final class DegradedVerdictRetry {

  private static final long[] BACKOFF_MILLIS = {250, 1_000, 2_500, 5_000, 6_000};

  private DegradedVerdictRetry() {}

  /** The waits before each retry, in order (a copy: the caller may change it). */
  public static long[] backoffMillis() {
    return BACKOFF_MILLIS.clone();
  }

  /** How many retries the schedule allows. */
  public static int attempts() {
    return BACKOFF_MILLIS.length;
  }
}
