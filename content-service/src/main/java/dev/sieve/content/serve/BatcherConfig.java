package dev.sieve.content.serve;

import dev.sieve.core.util.Settings;
import java.time.Duration;

/**
 * Dynamic batching parameters, after Triton's dynamic batcher and DJL Serving's work-load manager.
 *
 * @param maxBatchSize most requests computed together (1 disables batching)
 * @param maxQueueDelay longest the oldest queued request waits for company before its (partial)
 *     batch is computed
 * @param queueCapacity requests that may wait; one more is rejected at once with RESOURCE_EXHAUSTED
 *     (the queue never blocks a caller)
 * @param workers batches computed concurrently (each worker runs a whole batch)
 * @param deadlineAdmission admit a request only if its remaining deadline covers the expected queue
 *     wait plus service time (learned online), shed it with RESOURCE_EXHAUSTED otherwise, and drop
 *     a request at batch formation when it cannot outlive its batch (see {@link DynamicBatcher}).
 *     Off, only the queue capacity bounds admission: the behaviour before issue #12, kept for the
 *     benchmark's baseline and as an escape hatch
 */
public record BatcherConfig(
    int maxBatchSize,
    Duration maxQueueDelay,
    int queueCapacity,
    int workers,
    boolean deadlineAdmission) {

  /** With deadline admission on (the default). */
  public BatcherConfig(int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers) {
    this(maxBatchSize, maxQueueDelay, queueCapacity, workers, true);
  }

  public BatcherConfig {
    if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
      throw new IllegalArgumentException("batch size, queue capacity and workers must be >= 1");
    }
    if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("max queue delay must be >= 0");
    }
  }

  /**
   * From settings: SIEVE_CONTENT_MAX_BATCH (default 16), SIEVE_CONTENT_MAX_QUEUE_DELAY_MS (5),
   * SIEVE_CONTENT_QUEUE_CAPACITY (128), SIEVE_CONTENT_BATCH_WORKERS (1),
   * SIEVE_CONTENT_DEADLINE_ADMISSION (true).
   */
  public static BatcherConfig fromSettings() {
    return new BatcherConfig(
        Settings.getInt("SIEVE_CONTENT_MAX_BATCH", 16),
        Duration.ofMillis(Settings.getLong("SIEVE_CONTENT_MAX_QUEUE_DELAY_MS", 5)),
        Settings.getInt("SIEVE_CONTENT_QUEUE_CAPACITY", 128),
        Settings.getInt("SIEVE_CONTENT_BATCH_WORKERS", 1),
        Boolean.parseBoolean(Settings.get("SIEVE_CONTENT_DEADLINE_ADMISSION", "true")));
  }

  /** The same settings with deadline admission switched on or off. */
  public BatcherConfig withDeadlineAdmission(boolean on) {
    return new BatcherConfig(maxBatchSize, maxQueueDelay, queueCapacity, workers, on);
  }

  /** No batching: each request is computed alone. The benchmark's baseline. */
  public static BatcherConfig unbatched(int queueCapacity) {
    return new BatcherConfig(1, Duration.ZERO, queueCapacity, 1, true);
  }
}
