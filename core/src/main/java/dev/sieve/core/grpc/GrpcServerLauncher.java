package dev.sieve.core.grpc;

import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.core.util.Settings;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops one Sieve gRPC server the way every service must: standard health ({@code
 * grpc.health.v1}) and server reflection registered, NOT_SERVING until the owner says models are
 * loaded and warmed, and a graceful shutdown that flips health to NOT_SERVING first (so load
 * balancers stop sending), drains in-flight calls for a bounded time, then stops.
 *
 * <p>Every service, health and reflection (v1 and v1alpha) included, is wrapped by the {@link
 * MalformedRequestGuard}: a request message that does not parse is INVALID_ARGUMENT, and such
 * refusals, like the transport's own for oversized messages, are logged as one summary line per
 * interval by the {@link RejectedRequestLog}.
 *
 * <p>Transport security comes from {@link Builder#secure(ServerSecurity)}: TLS/mTLS credentials,
 * the caller-authorization interceptors (innermost, after telemetry, so refused calls are still
 * counted), and an optional plaintext port serving only health for probes that cannot speak TLS.
 * Without it the server is plaintext (tests on loopback).
 *
 * <p>Modelled on grpc-java's examples: one small class, no framework.
 */
public final class GrpcServerLauncher {

  private static final Logger log = LoggerFactory.getLogger(GrpcServerLauncher.class);

  private final String name;
  private final Server server;
  private final Server healthOnly;
  private final ServerSecurity security;
  private final HealthStatusManager health;
  private final List<String> serviceNames;
  private volatile boolean stopping;

  private GrpcServerLauncher(Builder builder) {
    this.name = builder.name;
    this.health = new HealthStatusManager();
    this.security = builder.security == null ? ServerSecurity.plaintext() : builder.security;
    NettyServerBuilder nsb =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(builder.host, builder.port), security.credentials())
            .maxInboundMessageSize(builder.maxInboundMessageBytes)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // Bounded connection age: clients using dns:/// round-robin re-resolve and spread over
            // new pods after a scale-out instead of pinning to the pods they first met.
            .maxConnectionAge(builder.maxConnectionAge.toSeconds(), TimeUnit.SECONDS)
            .maxConnectionAgeGrace(30, TimeUnit.SECONDS);
    if (builder.executor != null) {
      nsb.executor(builder.executor);
    }
    this.serviceNames = new ArrayList<>();
    // ServerInterceptors.intercept runs the last list element first: security goes innermost.
    List<ServerInterceptor> interceptors = new ArrayList<>(security.interceptors());
    interceptors.addAll(builder.interceptors);
    // The guard wraps each service innermost: a request that does not parse is INVALID_ARGUMENT
    // (not UNKNOWN), and the interceptors above still see and count the refusal.
    MalformedRequestGuard guard = new MalformedRequestGuard(RejectedRequestLog.shared());
    TransportRejectionFilter.install(RejectedRequestLog.shared());
    for (ServerServiceDefinition definition : builder.services) {
      serviceNames.add(definition.getServiceDescriptor().getName());
      nsb.addService(ServerInterceptors.intercept(guard.guard(definition), interceptors));
    }
    nsb.addService(guard.guard(health.getHealthService().bindService()));
    // Reflection v1 and v1alpha: grpcurl and current tools ask v1 first; older clients (and tools
    // built on them) know only v1alpha and would otherwise see no services at all.
    nsb.addService(guard.guard(ProtoReflectionServiceV1.newInstance().bindService()));
    nsb.addService(guard.guard(v1alphaReflection()));
    this.server = nsb.build();
    this.healthOnly =
        security.healthPort() < 0
            ? null
            : NettyServerBuilder.forAddress(
                    new InetSocketAddress(builder.host, security.healthPort()),
                    InsecureServerCredentials.create())
                .addService(health.getHealthService())
                .build();
  }

  @SuppressWarnings(
      "deprecation") // v1alpha is deprecated upstream, yet older clients speak only it
  private static ServerServiceDefinition v1alphaReflection() {
    return ProtoReflectionService.newInstance().bindService();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Binds the port. Health reports NOT_SERVING until {@link #markServing()}. */
  public GrpcServerLauncher start() throws IOException {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    for (String service : serviceNames) {
      health.setStatus(service, ServingStatus.NOT_SERVING);
    }
    server.start();
    log.info("{} listening on port {} ({})", name, server.getPort(), security);
    if (healthOnly != null) {
      try {
        healthOnly.start();
      } catch (IOException e) {
        server.shutdownNow();
        throw e;
      }
      log.info("{}: plaintext health-only port {}", name, healthOnly.getPort());
    }
    return this;
  }

  /** Declares the server ready: call only after models are loaded and warmed. */
  public void markServing() {
    if (stopping) {
      return;
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    for (String service : serviceNames) {
      health.setStatus(service, ServingStatus.SERVING);
    }
    log.info("{} is SERVING", name);
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** The bound health-only port, or -1 when there is none. */
  public int healthPort() {
    return healthOnly == null ? -1 : healthOnly.getPort();
  }

  /**
   * Flips health to NOT_SERVING, stops accepting new calls, waits up to {@code drain} for in-flight
   * calls, then cancels whatever is left. Safe to call more than once.
   */
  public void shutdownGracefully(Duration drain) {
    if (stopping && server.isTerminated()) {
      return;
    }
    stopping = true;
    health.enterTerminalState();
    server.shutdown();
    if (healthOnly != null) {
      healthOnly.shutdown();
    }
    try {
      if (!server.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{}: in-flight calls did not finish within {}; cancelling them", name, drain);
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    if (healthOnly != null) {
      healthOnly.shutdownNow();
    }
    security.close();
    log.info("{} stopped", name);
  }

  /**
   * The drain budget for graceful shutdown: {@code SIEVE_DRAIN_TIMEOUT_SECONDS} (default 20 s). The
   * Helm chart keeps terminationGracePeriodSeconds above preStop sleep + this value.
   */
  public static Duration configuredDrainTimeout() {
    return Duration.ofSeconds(Settings.getInt("SIEVE_DRAIN_TIMEOUT_SECONDS", 20));
  }

  /**
   * Registers a JVM shutdown hook (SIGTERM) that runs {@link #shutdownGracefully(Duration)} first.
   */
  public GrpcServerLauncher installShutdownHook(Duration drain, Runnable afterStop) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  shutdownGracefully(drain);
                  if (afterStop != null) {
                    afterStop.run();
                  }
                },
                name + "-shutdown"));
    return this;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Builder; defaults: all interfaces, port 0 (ephemeral), 4 MiB inbound messages. */
  public static final class Builder {
    private final String name;
    private String host = "0.0.0.0";
    private int port;
    private int maxInboundMessageBytes = 4 * 1024 * 1024;
    private Duration maxConnectionAge = Duration.ofMinutes(5);
    private Executor executor;
    private ServerSecurity security;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Messages larger than this are rejected by gRPC itself with RESOURCE_EXHAUSTED, unparsed. */
    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** How long a client connection may live before the server asks it to reconnect (GOAWAY). */
    public Builder maxConnectionAge(Duration age) {
      this.maxConnectionAge = age;
      return this;
    }

    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Transport security of the port (see {@link ServerSecurity}); services call this with {@code
     * ServerSecurity.fromEnvironment(...)}. Default: plaintext.
     */
    public Builder secure(ServerSecurity security) {
      this.security = security;
      return this;
    }

    public Builder addService(BindableService service) {
      services.add(service.bindService());
      return this;
    }

    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /** Interceptors applied to every application service (first added runs outermost). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(0, interceptor);
      return this;
    }

    /** Adds the tracing, log-correlation and metrics interceptors of {@code telemetry}. */
    public Builder telemetry(Telemetry telemetry) {
      for (ServerInterceptor interceptor : telemetry.serverInterceptors()) {
        intercept(interceptor);
      }
      return this;
    }

    public GrpcServerLauncher build() {
      return new GrpcServerLauncher(this);
    }
  }
}
