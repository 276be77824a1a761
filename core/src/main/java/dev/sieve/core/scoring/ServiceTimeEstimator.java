package dev.sieve.core.scoring;

/**
 * Online estimate of what one unit of work costs a tier, learned from the work it actually does: an
 * exponentially weighted moving average of elapsed time divided by units. The content tier counts
 * encoder chunks per batch; the llm tier counts requests.
 *
 * <p>Why: admission by what can finish in time (issue #12 item 3) needs "how long until a request
 * admitted now is done" in time units, and that depends on the machine (CPU or GPU, cores, other
 * load) and the input mix, so a configured constant would be wrong somewhere. Time per unit
 * measured over a whole batch already folds in the parallelism inside the batch (the content tier's
 * encoder sessions), so the expected wait is simply units ahead × cost per unit ÷ workers. Under
 * overload batches are full and the estimate is the throughput the queue drains at; at light load
 * it is pessimistic (small batches cost more per unit), which only matters to very short deadlines.
 *
 * <p>Thread-safe; observations are rare (one per batch), so a lock is cheaper than cleverness.
 */
public final class ServiceTimeEstimator {

  /** Weight of the newest batch: about the last ten batches dominate the estimate. */
  static final double DEFAULT_ALPHA = 0.2;

  private final double alpha;
  private double nanosPerUnit;
  private long observations;

  public ServiceTimeEstimator() {
    this(DEFAULT_ALPHA);
  }

  /**
   * @param alpha weight of the newest observation, in (0, 1]
   */
  public ServiceTimeEstimator(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]");
    }
    this.alpha = alpha;
  }

  /** Records one computed batch of {@code units} units that took {@code nanos}. */
  public synchronized void observe(long units, long nanos) {
    if (units <= 0 || nanos < 0) {
      return;
    }
    double sample = (double) nanos / units;
    nanosPerUnit = observations == 0 ? sample : alpha * sample + (1 - alpha) * nanosPerUnit;
    observations++;
  }

  /** False until the first batch was computed: without evidence nothing is shed. */
  public synchronized boolean hasEstimate() {
    return observations > 0;
  }

  /** Current estimate of one unit's cost, in nanoseconds (0 before the first batch). */
  public synchronized double nanosPerUnit() {
    return nanosPerUnit;
  }

  /** Expected time for {@code units} units, in nanoseconds. */
  public synchronized long nanosFor(long units) {
    return (long) Math.ceil(units * nanosPerUnit);
  }
}
