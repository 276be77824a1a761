package dev.sieve.router.feedback;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.HostOverride;
import dev.sieve.router.ServedVerdictHook;
import io.grpc.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The router's side of the learning loop (issue #14): reports out ({@link VerdictReports}),
 * overrides in ({@link OverrideWatcher}, {@link OverridesFile} into a {@link
 * HostOverrideRegistry}), and the {@link ServedVerdictHook} that applies a tenant's override to
 * each verdict on its way out and remembers what was served ({@link RecentVerdicts}).
 *
 * <p>Its own single background thread does every blocking thing (spool file I/O, re-sends, file
 * polling, reconnect timers), so nothing of it runs on the transport's event loop or delays the
 * router's policy polling.
 *
 * <p>Metrics: {@code sieve_router_overrides_active} (overrides in force now, expired ones excluded
 * at scrape time), {@code sieve_router_overrides_applied_total{effect}}, {@code
 * sieve_router_overrides_stream_connected}, {@code sieve_router_feedback_reports_total{outcome}},
 * {@code sieve_router_feedback_spooled}.
 */
public final class FeedbackLoop implements ServedVerdictHook, AutoCloseable {

  private final FeedbackSettings settings;
  private final Clock clock;
  private final HostOverrideRegistry overrides;
  private final RecentVerdicts recent;
  private final VerdictReports reports;
  private final OverrideWatcher watcher;
  private final OverridesFile file;
  private final ScheduledExecutorService executor;
  private final Counter allowApplied;
  private final Counter blockApplied;

  /**
   * @param feedback channel to the annotation app's Feedback service (built from
   *     SIEVE_FEEDBACK_ADDR by RouterMain; in-process in tests), or null when none is configured
   * @param watcherName who is watching, for the app's log (e.g. the pod name)
   */
  public FeedbackLoop(
      FeedbackSettings settings,
      Channel feedback,
      Clock clock,
      MeterRegistry registry,
      String watcherName) {
    this.settings = settings;
    this.clock = clock;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "router-feedback");
              thread.setDaemon(true);
              return thread;
            });
    this.overrides = new HostOverrideRegistry(clock);
    this.recent = new RecentVerdicts(settings.recentVerdicts(), settings.recentVerdictAge());
    ReportSpool spool =
        settings.spoolFile() == null
            ? null
            : new ReportSpool(settings.spoolFile(), settings.spoolMaxBytes());
    this.reports =
        new VerdictReports(
            feedback,
            settings.submitTimeout(),
            settings.breakerOpen(),
            spool,
            recent,
            clock,
            executor,
            registry);
    this.watcher =
        feedback == null ? null : new OverrideWatcher(feedback, overrides, executor, watcherName);
    this.file =
        settings.overridesFile() == null
            ? null
            : new OverridesFile(settings.overridesFile(), overrides);
    Gauge.builder("sieve.router.overrides.active", overrides, HostOverrideRegistry::activeCount)
        .description("Tenant host overrides in force now (expired ones excluded)")
        .register(registry);
    Gauge.builder(
            "sieve.router.overrides.stream.connected",
            this,
            l -> l.watcher != null && l.watcher.connected() ? 1 : 0)
        .description("1 while the annotation app's override stream is open")
        .register(registry);
    this.allowApplied = applied(registry, "allow");
    this.blockApplied = applied(registry, "block");
  }

  private static Counter applied(MeterRegistry registry, String effect) {
    return Counter.builder("sieve.router.overrides.applied")
        .description("Verdicts served under a tenant host override")
        .tag("effect", effect)
        .register(registry);
  }

  /** Opens the override stream, loads the overrides file, schedules re-sends and file polling. */
  public FeedbackLoop start() {
    if (file != null) {
      file.poll();
      executor.scheduleWithFixedDelay(file::poll, 5, 5, TimeUnit.SECONDS);
    }
    if (watcher != null) {
      watcher.start();
      long resend = settings.resendInterval().toMillis();
      executor.scheduleWithFixedDelay(reports::resendSpool, resend, resend, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public ClassifyResponse served(
      ClassifyRequest request, NormalizedUrl url, ClassifyResponse verdict) {
    String tenant = request.getTenantId();
    ClassifyResponse out = verdict;
    if (url != null && !tenant.isEmpty() && overrides.mayApply(tenant)) {
      long now = clock.millis();
      HostOverride o = overrides.find(tenant, url, now);
      if (o != null) {
        out = OverrideApplier.apply(verdict, o, now);
        (o.getEffect() == HostOverride.Effect.EFFECT_ALLOW ? allowApplied : blockApplied)
            .increment();
      }
    }
    recent.record(tenant, out);
    return out;
  }

  public HostOverrideRegistry overrides() {
    return overrides;
  }

  public VerdictReports reports() {
    return reports;
  }

  public RecentVerdicts recent() {
    return recent;
  }

  /** Runs a spool re-send now, on the loop's thread (tests; operators wait for the schedule). */
  public int resendNow() throws Exception {
    return executor.submit(reports::resendSpool).get();
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    executor.shutdown();
  }
}
