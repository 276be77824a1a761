package dev.sieve.icap;

import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.security.TlsSettings;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Settings;
import dev.sieve.proto.v1.ClassifierGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ICAP adapter as its own process: a proxy (Squid, an ICAP appliance) sends it REQMOD and
 * RESPMOD, it asks the router's {@code Classify}. Settings: {@link IcapSettings}; the connection to
 * the router follows {@code SIEVE_TLS} with {@code SIEVE_ICAP_ROUTER_CA_FILE} (trust for a TLS
 * router) and {@code SIEVE_API_KEY} (a tenant API key when the router requires client auth).
 * SIGTERM stops accepting, closes connections and exits; the proxy's bypass setting decides what
 * happens meanwhile.
 */
public final class IcapAdapterMain {

  private static final Logger log = LoggerFactory.getLogger(IcapAdapterMain.class);

  private IcapAdapterMain() {}

  /** A running adapter and its channel to the router. */
  public record Running(IcapServer server, ManagedChannel channel) implements AutoCloseable {
    public int port() {
      return server.port();
    }

    @Override
    public void close() {
      server.close();
      channel.shutdownNow();
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    IcapSettings settings;
    Running running;
    try {
      settings = IcapSettings.fromEnvironment();
      running = start(settings);
    } catch (IllegalArgumentException e) {
      System.err.println("icap-adapter: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("icap-adapter stopping");
                  running.close();
                  stopped.countDown();
                },
                "icap-shutdown"));
    log.info(
        "icap-adapter serving icap://{}:{}/reqmod and /respmod -> router {}",
        settings.bindHost(),
        running.port(),
        settings.routerTarget());
    stopped.await();
  }

  /** Starts the adapter with these settings (tests start it in-process on port 0). */
  public static Running start(IcapSettings settings) throws IOException {
    TenantResolver tenants = TenantResolver.of(settings.tenantHeader(), settings.tenantByClient());
    UnavailablePolicy unavailable =
        UnavailablePolicy.of(settings.onUnavailable(), settings.onUnavailableTenants());
    ClientSecurity security =
        ClientSecurity.of(
            "icap adapter -> router",
            TlsSettings.fromEnvironment().mode(),
            Settings.get("SIEVE_ICAP_ROUTER_CA_FILE").map(Path::of),
            Optional.empty());
    NettyChannelBuilder builder =
        security.channelBuilder(settings.routerTarget()).maxInboundMessageSize(16 * 1024 * 1024);
    Settings.get("SIEVE_API_KEY")
        .ifPresent(
            key -> {
              Metadata headers = new Metadata();
              headers.put(
                  Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                  "Bearer " + key);
              builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
            });
    ManagedChannel channel = builder.build();
    SieveClient sieve =
        new SieveClient(ClassifierGrpc.newBlockingStub(channel), settings.maxInFlight());
    IcapService service =
        new IcapService(
            settings,
            sieve,
            tenants,
            unavailable,
            new BlockPage(Taxonomy.v1(), settings.reviewUrl()));
    try {
      IcapServer server =
          IcapServer.start(
              settings.bindHost(),
              settings.port(),
              service,
              settings.maxConnections(),
              settings.idleTimeout());
      return new Running(server, channel);
    } catch (IOException e) {
      channel.shutdownNow();
      throw e;
    }
  }
}
