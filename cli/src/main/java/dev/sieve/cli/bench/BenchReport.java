package dev.sieve.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one measured load run. Latencies are of successful calls, in microseconds, from
 * an HdrHistogram (3 significant digits).
 *
 * @param label what was measured ("router", "echo", ...)
 * @param target host:port
 * @param ok successful calls in the measured window
 * @param errorsByCode failed calls by gRPC status code
 * @param seconds measured window
 * @param cacheReported successful calls whose response says whether it came from a cache (0 for an
 *     RPC without one)
 * @param cacheHits of those, the ones answered from the cache
 */
public record BenchReport(
    String label,
    String target,
    long ok,
    SortedMap<String, Long> errorsByCode,
    double seconds,
    long p50Micros,
    long p90Micros,
    long p99Micros,
    long p999Micros,
    long maxMicros,
    double meanMicros,
    long cacheReported,
    long cacheHits) {

  public BenchReport {
    errorsByCode = new TreeMap<>(errorsByCode);
  }

  public long errors() {
    return errorsByCode.values().stream().mapToLong(Long::longValue).sum();
  }

  public long requests() {
    return ok + errors();
  }

  /** Successful calls per second. */
  public double qps() {
    return seconds > 0 ? ok / seconds : 0;
  }

  /** Share of successful calls answered from the cache, or NaN where the RPC has no cache. */
  public double cacheHitRatio() {
    return cacheReported > 0 ? (double) cacheHits / cacheReported : Double.NaN;
  }

  static String header() {
    return String.format(
        Locale.ROOT,
        "  %-14s %-21s %9s %9s %7s %10s %6s %9s %9s %9s %9s %9s",
        "RUN", "TARGET", "REQUESTS", "OK", "ERRORS", "QPS", "HIT%", "p50", "p90", "p99", "p99.9", "max");
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "  %-14s %-21s %9d %9d %7d %10.1f %6s %9s %9s %9s %9s %9s",
        label,
        target,
        requests(),
        ok,
        errors(),
        qps(),
        Double.isNaN(cacheHitRatio()) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * cacheHitRatio()),
        latency(p50Micros),
        latency(p90Micros),
        latency(p99Micros),
        latency(p999Micros),
        latency(maxMicros));
  }

  String errorLine() {
    StringBuilder line = new StringBuilder("  " + label + " errors:");
    for (Map.Entry<String, Long> e : errorsByCode.entrySet()) {
      line.append(' ').append(e.getKey()).append('=').append(e.getValue());
    }
    return line.toString();
  }

  static String latency(long micros) {
    if (micros < 1_000) {
      return micros + "us";
    }
    if (micros < 1_000_000) {
      return String.format(Locale.ROOT, "%.2fms", micros / 1000.0);
    }
    return String.format(Locale.ROOT, "%.2fs", micros / 1e6);
  }
}
