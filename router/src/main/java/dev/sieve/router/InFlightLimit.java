package dev.sieve.router;

import java.util.concurrent.Semaphore;

/**
 * The router's one bound on classifications in flight, shared by every door: unary {@code
 * Classify}, each item of a {@code ClassifyStream}, and the JSON/HTTP gateway's single and batch
 * calls (which reach the router through the same unary {@code Classify}). Over the bound a call is
 * refused at once (RESOURCE_EXHAUSTED) instead of queued, so an overloaded router sheds load the
 * way the architecture asks: bounded queues, never block.
 *
 * <p>Why one object for every door: two counters would let a bulk stream and unary traffic each
 * fill their own bound, twice the work the bound was sized for. The per-stream window ({@code
 * SIEVE_STREAM_WINDOW}) and the gateway's per-batch concurrency are flow control for one caller,
 * not load shedding, and stay where they are.
 *
 * <p>Fixed, not adaptive: the adaptive limits live where latency says something about a peer's
 * capacity, on the router's tier clients (core's {@code AdaptiveConcurrencyLimiter}); the router's
 * own work per call is microseconds, and its bound only has to stop memory from growing without end
 * when the tiers slow down.
 */
final class InFlightLimit {

  private final int max;
  private final Semaphore slots;

  /**
   * @param max classifications in flight at once before calls are refused
   */
  InFlightLimit(int max) {
    this.max = max;
    this.slots = new Semaphore(max);
  }

  /** Takes a slot; false (and nothing taken) when {@code max} are already in flight. */
  boolean tryAcquire() {
    return slots.tryAcquire();
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  void release() {
    slots.release();
  }

  /** Classifications in flight now (for tests and diagnostics). */
  int inFlight() {
    return max - slots.availablePermits();
  }
}
