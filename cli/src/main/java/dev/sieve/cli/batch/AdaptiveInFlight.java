package dev.sieve.cli.batch;

import java.util.concurrent.TimeUnit;

/**
 * The number of items a batch keeps in flight, adapted to what the fleet can answer healthily:
 * additive increase, multiplicative decrease (AIMD, the rule TCP congestion control uses).
 *
 * <p>Why a batch client needs it: a batch wants every tier's opinion, not the lowest latency. At a
 * fixed concurrency above the fleet's capacity (a 2-core laptop running every service, real pages
 * of 100 KB), the content tier's deadline admission sheds, its calls time out, the router's breaker
 * opens, and the rest of the batch comes back decided without the content tier: degraded verdicts
 * that follow the policy's {@code on_tier_loss}, written as if they were the fleet's answer.
 * Measured before this class existed: 58 of 71 real pages in one run came back with the content
 * tier CIRCUIT_OPEN. Halving the limit whenever an answer is degraded, and growing it back by one
 * after a full window of healthy answers, keeps the batch at the rate the fleet sustains.
 *
 * <p>One decrease per window: the calls already in flight when the limit was halved were sent under
 * the old limit, so their degraded answers say nothing new; a call remembers the epoch it was
 * started in, and only an answer from the current epoch can halve the limit again.
 */
final class AdaptiveInFlight {

  private final int max;
  private int limit;
  private int inFlight;
  private int healthyInARow;
  private long epoch;
  private int lowest;

  /** Starts at {@code max}, the {@code --concurrency} the user asked for. */
  AdaptiveInFlight(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    this.max = max;
    this.limit = max;
    this.lowest = max;
  }

  /**
   * Waits until fewer than the current limit are in flight, then takes a slot.
   *
   * @return the epoch the call starts in (pass it to {@link #signal})
   */
  synchronized long acquire() throws InterruptedException {
    while (inFlight >= limit) {
      wait();
    }
    inFlight++;
    return epoch;
  }

  /** Takes a slot at once, whatever the limit (an item answered locally, e.g. a bad input line). */
  synchronized long acquireNow() {
    inFlight++;
    return epoch;
  }

  /**
   * What an answer says about the fleet's load: a degraded answer halves the limit (once per
   * epoch), a full window of healthy answers raises it by one.
   *
   * @param startEpoch what {@link #acquire} returned for this call
   * @param healthy false when the answer shows the fleet overloaded or a tier unavailable
   */
  synchronized void signal(long startEpoch, boolean healthy) {
    if (healthy) {
      if (++healthyInARow >= limit && limit < max) {
        limit++;
        healthyInARow = 0;
      }
    } else {
      healthyInARow = 0;
      if (startEpoch == epoch) {
        limit = Math.max(1, limit / 2);
        lowest = Math.min(lowest, limit);
        epoch++;
      }
    }
    notifyAll();
  }

  /** Gives a slot back (after the item's line is written, retries included). */
  synchronized void release() {
    inFlight--;
    notifyAll();
  }

  /** Waits until nothing is in flight; false when {@code timeoutMillis} passed first. */
  synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  synchronized int limit() {
    return limit;
  }

  /** The lowest limit the batch ran at (reported when the batch had to slow down). */
  synchronized int lowest() {
    return lowest;
  }

  int max() {
    return max;
  }
}
