package dev.sieve.router.auth;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.security.Loopback;
import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.security.TlsSettings;
import dev.sieve.core.util.Settings;
import io.grpc.ServerInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the router's public Classify port is protected: its transport ({@link ServerSecurity}, role
 * PUBLIC) and per-tenant client authentication ({@link TenantAuthInterceptor}).
 *
 * <p>Settings (environment or {@code -Dsieve.*}): {@code SIEVE_CLIENT_AUTH} = {@code auto}
 * (default), {@code required} or {@code off}; {@code SIEVE_CLIENT_AUTH_FILE}, the tenant
 * credentials ({@link TenantCredentials}); {@code SIEVE_CLIENT_AUTH_RELOAD_SECONDS} (5). {@code
 * auto} requires credentials when the file is configured; without it, Classify is open on a
 * loopback address only, and a router bound to any other address refuses to start unless {@code
 * SIEVE_CLIENT_AUTH=off} says explicitly that the network alone decides who may classify.
 */
public final class RouterSecurity implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RouterSecurity.class);

  private final ServerSecurity transport;
  private final TenantCredentialStore tenants;
  private final Duration reload;

  private RouterSecurity(ServerSecurity transport, TenantCredentialStore tenants, Duration reload) {
    this.transport = transport;
    this.tenants = tenants;
    this.reload = reload;
  }

  /**
   * Reads every setting; throws IllegalArgumentException with the reason when the start must stop.
   */
  public static RouterSecurity fromEnvironment(String bindHost) {
    return configure(
        TlsSettings.fromEnvironment(),
        Settings.get("SIEVE_CLIENT_AUTH", "auto"),
        Settings.get("SIEVE_CLIENT_AUTH_FILE").map(Path::of),
        Duration.ofSeconds(Settings.getLong("SIEVE_CLIENT_AUTH_RELOAD_SECONDS", 5)),
        bindHost);
  }

  /** Plaintext, no client authentication (tests on loopback). */
  public static RouterSecurity none() {
    return new RouterSecurity(ServerSecurity.plaintext(), null, Duration.ofSeconds(5));
  }

  /** Applies the rules of the class comment to explicit settings. */
  public static RouterSecurity configure(
      TlsSettings tls, String authMode, Optional<Path> authFile, Duration reload, String bindHost) {
    String mode = authMode.strip().toLowerCase(Locale.ROOT);
    boolean loopback = Loopback.isLoopbackHost(bindHost);
    TenantCredentialStore tenants;
    switch (mode) {
      case "off" -> {
        if (authFile.isPresent()) {
          throw new IllegalArgumentException(
              "SIEVE_CLIENT_AUTH=off contradicts SIEVE_CLIENT_AUTH_FILE: unset one of them");
        }
        if (!loopback) {
          log.warn(
              "client authentication is OFF on {} (SIEVE_CLIENT_AUTH=off): anyone who reaches the port may"
                  + " classify as any tenant",
              bindHost);
        }
        tenants = null;
      }
      case "required", "auto" -> {
        if (authFile.isPresent()) {
          tenants = TenantCredentialStore.open(authFile.get());
        } else if (mode.equals("required")) {
          throw new IllegalArgumentException(
              "SIEVE_CLIENT_AUTH=required needs SIEVE_CLIENT_AUTH_FILE");
        } else if (!loopback) {
          throw new IllegalArgumentException(
              "refusing to serve Classify on "
                  + bindHost
                  + " without client authentication: set"
                  + " SIEVE_CLIENT_AUTH_FILE (tenant API keys / certificate identities), or SIEVE_CLIENT_AUTH=off to"
                  + " leave it to the network explicitly");
        } else {
          tenants = null;
        }
      }
      default ->
          throw new IllegalArgumentException(
              "SIEVE_CLIENT_AUTH must be auto, required or off, got '" + authMode + "'");
    }
    if (reload.isNegative() || reload.isZero()) {
      throw new IllegalArgumentException("SIEVE_CLIENT_AUTH_RELOAD_SECONDS must be positive");
    }
    ServerSecurity transport =
        ServerSecurity.configure("router", tls, bindHost, ServerSecurity.Role.PUBLIC);
    return new RouterSecurity(transport, tenants, reload);
  }

  /**
   * Adds the transport and, when on, tenant authentication to the launcher (call after telemetry).
   */
  public GrpcServerLauncher.Builder applyTo(GrpcServerLauncher.Builder builder) {
    builder.secure(transport);
    if (tenants != null) {
      builder.intercept(new TenantAuthInterceptor(tenants));
    }
    return builder;
  }

  /**
   * The per-call interceptors {@link #applyTo} installs (tenant authentication when on), for
   * another door to the same service: the JSON/HTTP gateway's in-process server.
   */
  public List<ServerInterceptor> callInterceptors() {
    return tenants == null ? List.of() : List.of(new TenantAuthInterceptor(tenants));
  }

  /**
   * Starts polling the client-auth file on {@code scheduler} (no-op when authentication is off).
   */
  public void watch(ScheduledExecutorService scheduler) {
    if (tenants != null) {
      tenants.watch(scheduler, reload);
    }
  }

  public boolean authenticatesClients() {
    return tenants != null;
  }

  public ServerSecurity transport() {
    return transport;
  }

  @Override
  public void close() {
    transport.close();
  }
}
