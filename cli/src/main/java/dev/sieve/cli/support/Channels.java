package dev.sieve.cli.support;

import dev.sieve.core.util.Settings;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Channels from the cli to Sieve services, closed promptly: TLS where the local fleet runs with
 * {@code --tls} or the cli is configured for it, plaintext to loopback (see {@link LocalTls}); an
 * API key from {@code SIEVE_API_KEY} is sent as {@code authorization: Bearer} when set.
 */
public final class Channels {

  /**
   * Big enough for any verdict or page body the router accepts (its own limit is 2 MiB by default).
   */
  private static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;

  private Channels() {}

  public static ManagedChannel open(HostPort target) {
    return builder(target).build();
  }

  /**
   * A channel whose callbacks run on the Netty event loop (no executor hop): for load generation,
   * where callbacks only record a latency and start the next call.
   */
  public static ManagedChannel openDirect(HostPort target) {
    return builder(target).directExecutor().build();
  }

  /**
   * A direct-executor plaintext channel to an in-process loopback server of the cli itself (the
   * bench's echo server), whatever the fleet's TLS settings.
   */
  public static ManagedChannel openLocalPlaintextDirect(HostPort target) {
    if (!target.isLoopback()) {
      throw new IllegalArgumentException(target + " is not a loopback address");
    }
    return NettyChannelBuilder.forTarget(target.toString())
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .build();
  }

  private static NettyChannelBuilder builder(HostPort target) {
    NettyChannelBuilder builder =
        LocalTls.clientFor(target)
            .channelBuilder(target.toString())
            .maxInboundMessageSize(MAX_INBOUND_BYTES);
    apiKey().ifPresent(builder::intercept);
    return builder;
  }

  private static Optional<ClientInterceptor> apiKey() {
    return Settings.get("SIEVE_API_KEY")
        .map(
            key -> {
              Metadata headers = new Metadata();
              headers.put(
                  Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                  "Bearer " + key);
              return MetadataUtils.newAttachHeadersInterceptor(headers);
            });
  }

  /**
   * Shuts the channel down and waits a little, so the JVM exits without orphan-channel warnings.
   */
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
