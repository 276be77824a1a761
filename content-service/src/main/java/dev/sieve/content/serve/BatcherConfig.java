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
 */
public record BatcherConfig(int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers) {

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
   * SIEVE_CONTENT_QUEUE_CAPACITY (128), SIEVE_CONTENT_BATCH_WORKERS (1).
   */
  public static BatcherConfig fromSettings() {
    return new BatcherConfig(
        Settings.getInt("SIEVE_CONTENT_MAX_BATCH", 16),
        Duration.ofMillis(Settings.getLong("SIEVE_CONTENT_MAX_QUEUE_DELAY_MS", 5)),
        Settings.getInt("SIEVE_CONTENT_QUEUE_CAPACITY", 128),
        Settings.getInt("SIEVE_CONTENT_BATCH_WORKERS", 1));
  }

  /** No batching: each request is computed alone. The benchmark's baseline. */
  public static BatcherConfig unbatched(int queueCapacity) {
    return new BatcherConfig(1, Duration.ZERO, queueCapacity, 1);
  }
}
