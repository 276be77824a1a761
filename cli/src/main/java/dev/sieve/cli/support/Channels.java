package dev.sieve.cli.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Plaintext Netty channels to loopback (or explicitly allowed) Sieve services, closed promptly. */
public final class Channels {

  /** Big enough for any verdict or page body the router accepts (its own limit is 2 MiB by default). */
  private static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;

  private Channels() {}

  public static ManagedChannel open(HostPort target) {
    return NettyChannelBuilder.forAddress(target.host(), target.port())
        .usePlaintext()
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .build();
  }

  /**
   * A channel whose callbacks run on the Netty event loop (no executor hop): for load generation,
   * where callbacks only record a latency and start the next call.
   */
  public static ManagedChannel openDirect(HostPort target) {
    return NettyChannelBuilder.forAddress(target.host(), target.port())
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .build();
  }

  /** Shuts the channel down and waits a little, so the JVM exits without orphan-channel warnings. */
  public static void close(ManagedChannel channel) {
    if (channel == null) {
      return;
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
        channel.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
