package dev.sieve.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one measured load run. Latencies are of successful calls, in microseconds, from an
 * HdrHistogram (3 significant digits).
 *
 * @param label what was measured ("router", "echo", ...)
 * @param target host:port
 * @param ok successful calls in the measured window
 * @param errorsByCode failed calls by gRPC status code
 * @param seconds measured window
 * @param cacheReported successful calls whose response says whether it came from a cache (0 for an
 *     RPC without one)
 * @param cacheHits of those, the ones answered from the cache
 * @param quality what the successful answers said about themselves (Classify only)
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
    long cacheHits,
    Quality quality) {

  /**
   * Verdict quality counts (zero for RPCs without verdicts).
   *
   * @param degraded OK answers marked degraded (decided without a tier they needed)
   * @param alerts OK answers raising the wellness alert
   * @param degradedAlerts of those, degraded ones (must be 0: an alert needs model evidence)
   * @param degradedCacheHits degraded answers served from the cache (must be 0)
   * @param offered calls due in the measured window (open loop; 0 in closed loop)
   */
  public record Quality(
      long degraded, long alerts, long degradedAlerts, long degradedCacheHits, long offered) {
    static final Quality NONE = new Quality(0, 0, 0, 0, 0);
  }

  public BenchReport {
    errorsByCode = new TreeMap<>(errorsByCode);
    quality = quality == null ? Quality.NONE : quality;
  }

  /**
   * OK answers that are not degraded, per second: the work the service did that callers could use.
   */
  public double goodput() {
    return seconds > 0 ? (ok - quality.degraded()) / seconds : 0;
  }

  /** Calls offered per second (open loop), else NaN. */
  public double offeredRate() {
    return quality.offered() > 0 && seconds > 0 ? quality.offered() / seconds : Double.NaN;
  }

  /** One line on verdict quality, or null when there is nothing to say (no verdicts). */
  String qualityLine() {
    if (cacheReported == 0) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "  %s verdicts: goodput %.1f/s (OK and not degraded)%s; degraded %d of %d OK (%.1f%%); alerts %d (on degraded verdicts %d); degraded verdicts from the cache %d",
        label,
        goodput(),
        Double.isNaN(offeredRate())
            ? ""
            : String.format(Locale.ROOT, ", offered %.1f/s", offeredRate()),
        quality.degraded(),
        ok,
        ok > 0 ? 100.0 * quality.degraded() / ok : 0.0,
        quality.alerts(),
        quality.degradedAlerts(),
        quality.degradedCacheHits());
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
        "RUN",
        "TARGET",
        "REQUESTS",
        "OK",
        "ERRORS",
        "QPS",
        "HIT%",
        "p50",
        "p90",
        "p99",
        "p99.9",
        "max");
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
        Double.isNaN(cacheHitRatio())
            ? "-"
            : String.format(Locale.ROOT, "%.1f", 100 * cacheHitRatio()),
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
