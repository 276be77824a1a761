package dev.sieve.router.tier;

import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.security.TlsSettings;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiers of this deployment: a {@link TierClient} for every tier that has a target, nothing for
 * the others (they are reported NOT_DEPLOYED in every response, never hidden and never faked).
 *
 * <p>Channels are created lazily-connecting: the router does not wait for tiers to be up before it
 * serves, because a down tier is already reported per response and handled by the fail-open/closed
 * rules. {@code dns:///} targets get the {@code round_robin} load-balancing policy so that calls
 * spread over every ready pod of a headless service instead of pinning to the first address.
 */
public final class TierFleet implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TierFleet.class);

  private final TierClient[] clients = new TierClient[TierName.values().length];
  private final List<ManagedChannel> ownedChannels;

  private TierFleet(Map<TierName, TierClient> clients, List<ManagedChannel> ownedChannels) {
    clients.forEach((tier, client) -> this.clients[tier.ordinal()] = client);
    this.ownedChannels = ownedChannels;
  }

  /**
   * Connects to the tiers with non-empty targets.
   *
   * @param targets tier to target ({@code host:port} or {@code dns:///name:port}); absent or blank
   *     = not deployed
   * @param settings resilience settings per tier
   * @param interceptors client interceptors for every tier channel (tracing)
   */
  public static TierFleet connect(
      Map<TierName, String> targets,
      Function<TierName, ResilienceSettings> settings,
      Duration deadlineMargin,
      List<ClientInterceptor> interceptors) {
    return connect(
        targets,
        settings,
        deadlineMargin,
        interceptors,
        ClientSecurity.forTiers(TlsSettings.none()));
  }

  /**
   * As {@link #connect(Map, Function, Duration, List)} over {@code security}'s transport (TLS/mTLS
   * to the tiers, or plaintext where {@link ClientSecurity} allows it).
   *
   * @throws IllegalArgumentException when a target may not be reached in plaintext
   */
  public static TierFleet connect(
      Map<TierName, String> targets,
      Function<TierName, ResilienceSettings> settings,
      Duration deadlineMargin,
      List<ClientInterceptor> interceptors,
      ClientSecurity security) {
    Map<TierName, TierClient> clients = new EnumMap<>(TierName.class);
    List<ManagedChannel> channels = new ArrayList<>();
    for (TierName tier : TierName.all()) {
      String target = targets.get(tier);
      if (target == null || target.isBlank()) {
        log.info("tier {}: not deployed (no target)", tier.wireName());
        continue;
      }
      ManagedChannel channel = channelFor(target.strip(), security, interceptors);
      channels.add(channel);
      clients.put(tier, new TierClient(tier, channel, settings.apply(tier), deadlineMargin));
      log.info(
          "tier {}: target {} ({})",
          tier.wireName(),
          target.strip(),
          security.tls() ? "TLS" : "plaintext");
    }
    return new TierFleet(clients, channels);
  }

  /**
   * A fleet over caller-owned channels (tests, in-process tiers); absent tiers are not deployed.
   */
  public static TierFleet over(
      Map<TierName, ? extends Channel> channels,
      Function<TierName, ResilienceSettings> settings,
      Duration deadlineMargin) {
    Map<TierName, TierClient> clients = new EnumMap<>(TierName.class);
    channels.forEach(
        (tier, channel) ->
            clients.put(tier, new TierClient(tier, channel, settings.apply(tier), deadlineMargin)));
    return new TierFleet(clients, List.of());
  }

  /**
   * A Netty channel to {@code target} over {@code security} (TLS, mTLS, or plaintext only where it
   * allows); round_robin for {@code dns:} targets.
   */
  public static ManagedChannel channelFor(
      String target, ClientSecurity security, List<ClientInterceptor> interceptors) {
    NettyChannelBuilder builder =
        security
            .channelBuilder(target)
            .directExecutor()
            .keepAliveTime(30, TimeUnit.SECONDS)
            .maxInboundMessageSize(16 * 1024 * 1024)
            .intercept(interceptors);
    if (target.startsWith("dns:")) {
      builder.defaultLoadBalancingPolicy("round_robin");
    }
    return builder.build();
  }

  /** The client of {@code tier}, or null when it is not deployed. */
  public TierClient client(TierName tier) {
    return clients[tier.ordinal()];
  }

  public boolean deployed(TierName tier) {
    return clients[tier.ordinal()] != null;
  }

  /**
   * What every deployed tier serves now, read once: a request takes one snapshot and decides with
   * it throughout (see {@link FleetCoverage}).
   */
  public FleetCoverage coverage() {
    return FleetCoverage.of(clients);
  }

  /** Refreshes every deployed tier's Describe; the future completes when all answered or failed. */
  public CompletableFuture<Void> refreshCoverage(Duration timeout) {
    List<CompletableFuture<TierCoverage>> calls = new ArrayList<>();
    for (TierClient client : clients) {
      if (client != null) {
        calls.add(client.refreshCoverage(timeout));
      }
    }
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * Describes the deployed tiers that have not answered Describe yet (no-op once all have). Until a
   * tier answers, the router only assumes its coverage: the llm tier's emerging categories and the
   * core categories it could fill are unknown, so pages would be routed without them.
   */
  public CompletableFuture<Void> refreshUndescribed(Duration timeout) {
    List<CompletableFuture<TierCoverage>> calls = new ArrayList<>();
    for (TierClient client : clients) {
      if (client != null && !client.coverage().described()) {
        calls.add(client.refreshCoverage(timeout));
      }
    }
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]));
  }

  /** Closes the channels this fleet created. */
  @Override
  public void close() {
    for (ManagedChannel channel : ownedChannels) {
      channel.shutdown();
    }
    for (ManagedChannel channel : ownedChannels) {
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.shutdownNow();
      }
    }
  }
}
