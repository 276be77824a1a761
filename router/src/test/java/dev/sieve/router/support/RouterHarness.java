package dev.sieve.router.support;

import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.router.Router;
import dev.sieve.router.RouterSettings;
import dev.sieve.router.candidate.CandidateRouting;
import dev.sieve.router.candidate.CandidateSettings;
import dev.sieve.router.feedback.FeedbackLoop;
import dev.sieve.router.feedback.FeedbackSettings;
import dev.sieve.router.policy.PolicyException;
import dev.sieve.router.policy.PolicyParser;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A router wired exactly as in production, over in-process test-double tiers and an in-process
 * Classifier server. Everything binds nothing on the network and shuts down in {@link #close()}.
 */
public final class RouterHarness implements AutoCloseable {

  /** A policy with small, explicit numbers that tests reason about. */
  public static final String TEST_POLICY =
      """
      id: test-policy
      version: "7"
      defaults: {threshold: 0.5, uncertainty_margin: 0.1}
      ttl: {positive_seconds: 600, negative_seconds: 300, degraded_seconds: 5}
      """;

  private final Map<TierName, FakeTier> tiers;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Router router;
  private final Server routerServer;
  private final ManagedChannel routerChannel;
  public final FakeTicker ticker;
  public final MutableClock clock;

  /**
   * The router's meters in a Prometheus registry, so a test can read the exposition operators
   * scrape.
   */
  public final PrometheusMeterRegistry meters;

  private RouterHarness(Builder b) throws IOException {
    this.tiers = b.tiers;
    this.ticker = b.ticker;
    this.clock = b.clock;
    Map<TierName, ManagedChannel> tierChannels = new EnumMap<>(TierName.class);
    for (Map.Entry<TierName, FakeTier> entry : tiers.entrySet()) {
      String name = "tier-" + entry.getKey().wireName() + "-" + System.nanoTime();
      servers.add(
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(entry.getValue())
              .build()
              .start());
      ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      channels.add(channel);
      tierChannels.put(entry.getKey(), channel);
    }
    Map<TierName, ResilienceSettings> resilience = new EnumMap<>(TierName.class);
    for (TierName tier : TierName.all()) {
      ResilienceSettings settings = b.resilience.get(tier);
      if (settings == null) {
        settings = ResilienceSettings.defaults(tier).withTimeout(Duration.ofSeconds(5));
      }
      resilience.put(tier, settings.withClock(clock));
    }
    RouterSettings settings =
        new RouterSettings(
            0,
            "127.0.0.1",
            Map.of(),
            null,
            Duration.ofSeconds(1),
            b.maxBodyBytes,
            b.deadlineMargin,
            resilience,
            b.cacheMaxBytes,
            b.maxInFlight,
            b.streamWindow,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    TierFleet fleet = TierFleet.over(tierChannels, resilience::get, b.deadlineMargin);
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CandidateRouting candidates = CandidateRouting.none();
    if (b.candidate != null) {
      String name = "candidate-" + b.candidateSettings.tier().wireName() + "-" + System.nanoTime();
      servers.add(
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(b.candidate)
              .build()
              .start());
      ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      channels.add(channel);
      candidates =
          new CandidateRouting(
              b.candidateSettings,
              new TierClient(
                  b.candidateSettings.tier(),
                  channel,
                  resilience.get(b.candidateSettings.tier()),
                  b.deadlineMargin),
              meters);
    }
    this.router =
        new Router(
            settings,
            b.policies,
            fleet,
            meters,
            ticker,
            candidates,
            registry ->
                new FeedbackLoop(
                    b.feedbackSettings, b.feedbackChannel, clock, registry, "harness"));
    fleet.refreshCoverage(Duration.ofSeconds(5)).join();
    String routerName = "router-" + System.nanoTime();
    this.routerServer =
        InProcessServerBuilder.forName(routerName).addService(router.service()).build().start();
    this.routerChannel = InProcessChannelBuilder.forName(routerName).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Router router() {
    return router;
  }

  public FakeTier tier(TierName tier) {
    return tiers.get(tier);
  }

  /** The in-process channel to the router under test (the HTTP gateway's tests call through it). */
  public Channel channel() {
    return routerChannel;
  }

  public ClassifierGrpc.ClassifierBlockingStub stub() {
    return ClassifierGrpc.newBlockingStub(routerChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public ClassifierGrpc.ClassifierStub asyncStub() {
    return ClassifierGrpc.newStub(routerChannel);
  }

  public ClassifyResponse classify(ClassifyRequest request) {
    return stub().classify(request);
  }

  public static ClassifyRequest url(String url) {
    return ClassifyRequest.newBuilder().setUrl(url).build();
  }

  @Override
  public void close() {
    for (FakeTier tier : tiers.values()) {
      tier.releaseHanging();
    }
    routerChannel.shutdownNow();
    routerServer.shutdownNow();
    router.close();
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (Server server : servers) {
      server.shutdownNow();
    }
  }

  /** Builder; defaults: no tiers (all NOT_DEPLOYED), {@link #TEST_POLICY}, 2 MiB bodies. */
  public static final class Builder {
    private final Map<TierName, FakeTier> tiers = new EnumMap<>(TierName.class);
    private final Map<TierName, ResilienceSettings> resilience = new EnumMap<>(TierName.class);
    private PolicyStore policies;
    private int maxBodyBytes = RouterSettings.DEFAULT_MAX_BODY_BYTES;
    private Duration deadlineMargin = Duration.ofMillis(100);
    private long cacheMaxBytes = 16L * 1024 * 1024;
    private int maxInFlight = 1000;
    private int streamWindow = 4;
    private FakeTicker ticker = new FakeTicker();
    private MutableClock clock = new MutableClock();
    private FakeTier candidate;
    private CandidateSettings candidateSettings;

    /** A candidate version of a tier (shadow or canary), served by {@code fake}. */
    public Builder candidate(FakeTier fake, CandidateSettings settings) {
      this.candidate = fake;
      this.candidateSettings = settings;
      return this;
    }

    private FeedbackSettings feedbackSettings = FeedbackSettings.none();
    private Channel feedbackChannel;

    /**
     * The feedback loop's settings and its channel to a (test-double) Feedback service, or null.
     */
    /** A clock shared with a peer under test (the annotation app's joined-path test). */
    public Builder clock(MutableClock clock) {
      this.clock = clock;
      return this;
    }

    public Builder feedback(FeedbackSettings settings, Channel channel) {
      this.feedbackSettings = settings;
      this.feedbackChannel = channel;
      return this;
    }

    public Builder tier(TierName tier, FakeTier fake) {
      tiers.put(tier, fake);
      return this;
    }

    public Builder policy(String yaml) {
      try {
        this.policies =
            PolicyStore.of(PolicyParser.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
      } catch (PolicyException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return this;
    }

    public Builder policyFile(Path file) throws PolicyException {
      this.policies = PolicyStore.open(file);
      return this;
    }

    public Builder resilience(TierName tier, ResilienceSettings settings) {
      resilience.put(tier, settings);
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder deadlineMargin(Duration margin) {
      this.deadlineMargin = margin;
      return this;
    }

    public Builder cacheMaxBytes(long bytes) {
      this.cacheMaxBytes = bytes;
      return this;
    }

    public Builder maxInFlight(int max) {
      this.maxInFlight = max;
      return this;
    }

    public Builder streamWindow(int window) {
      this.streamWindow = window;
      return this;
    }

    public RouterHarness build() {
      if (policies == null) {
        policy(TEST_POLICY);
      }
      try {
        return new RouterHarness(this);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
