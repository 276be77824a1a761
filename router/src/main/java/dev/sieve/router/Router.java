package dev.sieve.router;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.util.concurrent.MoreExecutors;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.router.auth.RouterSecurity;
import dev.sieve.router.cache.VerdictCache;
import dev.sieve.router.candidate.CandidateRouting;
import dev.sieve.router.catalog.CategoryCatalog;
import dev.sieve.router.feedback.FeedbackLoop;
import dev.sieve.router.feedback.FeedbackSettings;
import dev.sieve.router.http.HttpGateway;
import dev.sieve.router.http.HttpGatewaySettings;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.tier.TierFleet;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The router's composition root: wires the policy store, the tier fleet, the verdict cache, the
 * engine, the feedback loop (ReportVerdict, tenant host overrides) and the gRPC service, runs the
 * background tasks (policy polling, tier Describe refresh) and serves them through core's {@link
 * GrpcServerLauncher} (health + reflection + graceful shutdown).
 *
 * <p>Kept separate from {@link RouterMain} so tests build the same object graph over in-process
 * tiers.
 */
public final class Router implements AutoCloseable {

  private final RouterSettings settings;
  private final PolicyStore policies;
  private final TierFleet fleet;
  private final VerdictCache cache;
  private final ClassificationEngine engine;
  private final ClassifierService service;
  private final FeedbackLoop feedback;
  private final ScheduledExecutorService background;

  /**
   * Where classifications with a large body run instead of the event loop (see ClassifierService).
   */
  private final ForkJoinPool offload;

  private GrpcServerLauncher launcher;
  private final CandidateRouting candidates;

  /**
   * @param registry where the router's metrics go (core Telemetry's Prometheus registry in
   *     production, a SimpleMeterRegistry in tests)
   * @param ticker time source of the verdict cache
   */
  public Router(
      RouterSettings settings,
      PolicyStore policies,
      TierFleet fleet,
      MeterRegistry registry,
      Ticker ticker) {
    this(settings, policies, fleet, registry, ticker, CandidateRouting.none(), Router::noFeedback);
  }

  /**
   * As above, with a candidate version of a tier beside the serving one (shadow or canary, #15);
   * the router closes {@code candidates} (its disagreement file) when it closes.
   */
  public Router(
      RouterSettings settings,
      PolicyStore policies,
      TierFleet fleet,
      MeterRegistry registry,
      Ticker ticker,
      CandidateRouting candidates) {
    this(settings, policies, fleet, registry, ticker, candidates, Router::noFeedback);
  }

  /**
   * As the five-argument constructor, with the feedback loop (ReportVerdict, host overrides) built
   * by {@code feedback} over the router's meter registry.
   */
  public Router(
      RouterSettings settings,
      PolicyStore policies,
      TierFleet fleet,
      MeterRegistry registry,
      Ticker ticker,
      Function<MeterRegistry, FeedbackLoop> feedback) {
    this(settings, policies, fleet, registry, ticker, CandidateRouting.none(), feedback);
  }

  /** Every part given: a candidate tier version (#15) and the feedback loop (#14). */
  public Router(
      RouterSettings settings,
      PolicyStore policies,
      TierFleet fleet,
      MeterRegistry registry,
      Ticker ticker,
      CandidateRouting candidates,
      Function<MeterRegistry, FeedbackLoop> feedback) {
    this.candidates = candidates;
    this.settings = settings;
    this.policies = policies;
    this.fleet = fleet;
    this.cache = new VerdictCache(settings.cacheMaxBytes(), ticker);
    this.engine =
        new ClassificationEngine(
            fleet,
            policies,
            cache,
            new RequestValidator(settings.maxBodyBytes()),
            new RouterMetrics(registry, fleet),
            candidates);
    this.offload =
        new ForkJoinPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            ForkJoinPool.defaultForkJoinWorkerThreadFactory,
            null,
            true);
    this.service =
        new ClassifierService(
                engine,
                settings.maxInFlight(),
                settings.streamWindow(),
                offload,
                ClassifierService.INLINE_BODY_BYTES)
            .withCatalog(new CategoryCatalog(policies, fleet));
    this.feedback = feedback.apply(registry);
    engine.onServed(this.feedback);
    service.withReports(this.feedback.reports());
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "router-background");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * No feedback service: reports are refused as unavailable unless a spool is set, no overrides.
   */
  private static FeedbackLoop noFeedback(MeterRegistry registry) {
    return new FeedbackLoop(FeedbackSettings.none(), null, Clock.systemUTC(), registry, "router");
  }

  /** Starts policy polling and the periodic tier Describe refresh (the first one immediately). */
  public Router startBackgroundTasks() {
    policies.watch(background, settings.policyReload());
    feedback.start();
    long refresh = settings.describeRefresh().toMillis();
    background.scheduleWithFixedDelay(
        () -> fleet.refreshCoverage(Duration.ofSeconds(2)), 0, refresh, TimeUnit.MILLISECONDS);
    // Tiers usually start with the router and answer a few seconds later: ask the ones not yet
    // described every second, so their coverage is known within a second of their being up, not
    // after a whole refresh period (measured: ~30 s of pages routed without emerging categories).
    background.scheduleWithFixedDelay(
        () -> fleet.refreshUndescribed(Duration.ofSeconds(1)), 1000, 1000, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Binds the gRPC port and marks health SERVING: the policy is loaded and channels exist; tiers
   * need not be up (a down tier is reported per response).
   */
  public GrpcServerLauncher serve() throws IOException {
    return serve(null);
  }

  /**
   * As {@link #serve()}, with core telemetry's tracing, log-correlation and metrics interceptors.
   */
  public GrpcServerLauncher serve(Telemetry telemetry) throws IOException {
    return serve(telemetry, RouterSecurity.none());
  }

  /**
   * As {@link #serve(Telemetry)} (telemetry may be null) behind {@code security}: TLS on the port
   * and per-tenant client authentication, whose credentials file is then polled with the policy.
   *
   * <p>Calls run on the transport's event loop (gRPC's direct executor): nothing on the router's
   * request path blocks (tier calls are asynchronous, their callbacks run on the tier channels'
   * event loops), and a cache hit or a URL-only request costs tens of microseconds, less than a
   * hand-off to a worker pool and back (measured: docs/benchmarks.md, "Router / gRPC path"). The
   * one thing that grows with the input, hashing and UTF-8-checking a large body, is handed to a
   * worker pool by {@link ClassifierService}.
   */
  public GrpcServerLauncher serve(Telemetry telemetry, RouterSecurity security) throws IOException {
    GrpcServerLauncher.Builder builder =
        GrpcServerLauncher.builder("router")
            .host(settings.bindHost())
            .port(settings.grpcPort())
            .maxInboundMessageBytes(settings.maxInboundMessageBytes())
            .executor(MoreExecutors.directExecutor())
            .addService(service);
    if (telemetry != null) {
      builder.telemetry(telemetry);
    }
    security.applyTo(builder);
    security.watch(background);
    launcher = builder.build().start();
    launcher.markServing();
    return launcher;
  }

  /**
   * Starts the JSON/HTTP gateway in front of this router's service, behind the same per-call
   * interceptors as the gRPC port (telemetry, then tenant authentication), so both doors share
   * deadlines, statuses, load shedding and metrics ({@link dev.sieve.router.http.HttpGateway}).
   * With TLS on the gRPC port the listener serves HTTPS with the same certificate.
   */
  public HttpGateway serveHttp(
      HttpGatewaySettings http, Telemetry telemetry, RouterSecurity security)
      throws IOException, GeneralSecurityException {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    if (telemetry != null) {
      interceptors.addAll(List.of(telemetry.serverInterceptors()));
    }
    interceptors.addAll(security.callInterceptors());
    SSLContext tls = null;
    if (security.transport().tls()) {
      // HTTPS with the gRPC port's own reloading certificate (the same key manager).
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {security.transport().material().keyManager()}, null, null);
    }
    return HttpGateway.start(http, service, interceptors, tls);
  }

  public ClassifierService service() {
    return service;
  }

  public ClassificationEngine engine() {
    return engine;
  }

  public VerdictCache cache() {
    return cache;
  }

  public PolicyStore policies() {
    return policies;
  }

  public FeedbackLoop feedback() {
    return feedback;
  }

  public TierFleet fleet() {
    return fleet;
  }

  /** Stops the server (gracefully, if started), the background tasks and the tier channels. */
  @Override
  public void close() {
    if (launcher != null) {
      launcher.shutdownGracefully(settings.drainTimeout());
    }
    background.shutdownNow();
    feedback.close();
    fleet.close();
    candidates.close();
    offload.shutdown();
  }
}
