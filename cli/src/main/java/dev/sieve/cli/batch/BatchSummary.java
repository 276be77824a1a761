package dev.sieve.cli.batch;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a batch run did.
 *
 * @param total items in the input
 * @param written lines written to the output (== total unless the run was aborted)
 * @param ok items classified
 * @param errorsByCode item errors by gRPC status code name (INVALID_INPUT for unreadable lines)
 * @param elapsed wall time
 * @param abortReason why the run stopped early, or null
 * @param routerUnreachable true when it stopped because the router could not be reached
 */
public record BatchSummary(
    int total,
    int written,
    long ok,
    SortedMap<String, Long> errorsByCode,
    Duration elapsed,
    String abortReason,
    boolean routerUnreachable) {

  public BatchSummary {
    errorsByCode = new TreeMap<>(errorsByCode);
  }

  public long errors() {
    return errorsByCode.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean complete() {
    return abortReason == null && written == total;
  }

  public double itemsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? (ok + errors()) / seconds : 0;
  }

  public String describe() {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d items in %.1f s (%.1f items/s): %d ok, %d errors",
                written,
                elapsed.toNanos() / 1e9,
                itemsPerSecond(),
                ok,
                errors()));
    if (!errorsByCode.isEmpty()) {
      text.append(" (");
      boolean first = true;
      for (Map.Entry<String, Long> e : errorsByCode.entrySet()) {
        text.append(first ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue());
        first = false;
      }
      text.append(')');
    }
    return text.toString();
  }
}
