package dev.sieve.core.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one gRPC server protects its port: the transport credentials (TLS with reloading
 * certificates, or plaintext where that is allowed) and the interceptors that authorize callers by
 * their client certificate. The one entry point every service's launcher goes through ({@code
 * GrpcServerLauncher.Builder.secure}), so the plaintext rule cannot be forgotten by one service:
 *
 * <ul>
 *   <li>plaintext is served on a loopback address, or anywhere when {@code SIEVE_TLS=off} says so
 *       explicitly; any other address without a certificate stops the start with the reason;
 *   <li>an {@link Role#INTERNAL} server (a tier) with TLS requires client certificates from {@code
 *       SIEVE_TLS_CLIENT_CA_FILE} and lets only {@code SIEVE_TLS_ALLOWED_CLIENTS} call its services
 *       (mTLS between router and tiers);
 *   <li>a {@link Role#PUBLIC} server (the router) verifies a client certificate when one is
 *       presented and a client CA is configured, and leaves it to the tenant authentication to
 *       require one.
 * </ul>
 */
public final class ServerSecurity implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServerSecurity.class);

  /** Who calls the server. */
  public enum Role {
    /** The router's Classify port: schools' filtering stacks. */
    PUBLIC,
    /** A tier's Scorer port: the router only. */
    INTERNAL
  }

  private final ServerCredentials credentials;
  private final List<ServerInterceptor> interceptors;
  private final ReloadingTlsMaterial material;
  private final int healthPort;
  private final String description;

  private ServerSecurity(
      ServerCredentials credentials,
      List<ServerInterceptor> interceptors,
      ReloadingTlsMaterial material,
      int healthPort,
      String description) {
    this.credentials = credentials;
    this.interceptors = List.copyOf(interceptors);
    this.material = material;
    this.healthPort = healthPort;
    this.description = description;
  }

  /** Reads {@link TlsSettings#fromEnvironment()} and applies the rules for {@code bindHost}. */
  public static ServerSecurity fromEnvironment(String name, String bindHost, Role role) {
    return configure(name, TlsSettings.fromEnvironment(), bindHost, role);
  }

  /** Plaintext without checks (tests that start servers on loopback). */
  public static ServerSecurity plaintext() {
    return new ServerSecurity(InsecureServerCredentials.create(), List.of(), null, -1, "plaintext");
  }

  /**
   * Applies the rules of the class comment.
   *
   * @param name the server's name, for log lines and errors
   * @throws IllegalArgumentException with the precise reason when the combination is refused or a
   *     certificate file is unusable
   */
  public static ServerSecurity configure(
      String name, TlsSettings settings, String bindHost, Role role) {
    boolean loopback = Loopback.isLoopbackHost(bindHost);
    if (settings.mode() == TlsSettings.Mode.OFF) {
      if (settings.serverIdentity().isPresent() || settings.clientCaFile().isPresent()) {
        throw new IllegalArgumentException(
            "SIEVE_TLS=off contradicts SIEVE_TLS_CERT_FILE / SIEVE_TLS_CLIENT_CA_FILE: unset one or the other");
      }
      if (!loopback) {
        log.warn(
            "{}: serving PLAINTEXT on {} because SIEVE_TLS=off (development only: traffic and credentials"
                + " are readable on the network)",
            name,
            bindHost);
      }
      return new ServerSecurity(
          InsecureServerCredentials.create(),
          List.of(),
          null,
          settings.healthPort(),
          "plaintext (SIEVE_TLS=off)");
    }
    if (settings.serverIdentity().isEmpty()) {
      if (settings.mode() == TlsSettings.Mode.ON) {
        throw new IllegalArgumentException(
            "SIEVE_TLS=on needs SIEVE_TLS_CERT_FILE and SIEVE_TLS_KEY_FILE");
      }
      if (settings.clientCaFile().isPresent() || !settings.allowedClients().isEmpty()) {
        throw new IllegalArgumentException(
            "SIEVE_TLS_CLIENT_CA_FILE / SIEVE_TLS_ALLOWED_CLIENTS need TLS: set SIEVE_TLS_CERT_FILE and SIEVE_TLS_KEY_FILE");
      }
      if (!loopback) {
        throw new IllegalArgumentException(
            "refusing to serve plaintext on "
                + bindHost
                + ", which is not a loopback address: set"
                + " SIEVE_TLS_CERT_FILE and SIEVE_TLS_KEY_FILE, or SIEVE_TLS=off to choose plaintext explicitly"
                + " (development only)");
      }
      return new ServerSecurity(
          InsecureServerCredentials.create(),
          List.of(),
          null,
          settings.healthPort(),
          "plaintext (loopback " + bindHost + ")");
    }
    if (role == Role.INTERNAL) {
      if (settings.clientCaFile().isEmpty()) {
        throw new IllegalArgumentException(
            name
                + " is a tier: with TLS on it requires client certificates, set SIEVE_TLS_CLIENT_CA_FILE (the CA"
                + " of the router's certificate) and SIEVE_TLS_ALLOWED_CLIENTS (the router's certificate identity)");
      }
      if (settings.allowedClients().isEmpty()) {
        throw new IllegalArgumentException(
            name
                + " is a tier: set SIEVE_TLS_ALLOWED_CLIENTS to the router's certificate identity (DNS/URI SAN"
                + " or CN), so that no other holder of a certificate from the same CA can call it");
      }
    } else if (!settings.allowedClients().isEmpty()) {
      throw new IllegalArgumentException(
          "SIEVE_TLS_ALLOWED_CLIENTS applies to tiers; the router maps client certificates to tenants in"
              + " SIEVE_CLIENT_AUTH_FILE");
    }
    ReloadingTlsMaterial material =
        ReloadingTlsMaterial.load(
                name + " server",
                settings.serverIdentity(),
                settings.clientCaFile(),
                false,
                Verification.CERTIFICATE_ONLY_VERIFICATION)
            .watch(settings.reloadPeriod());
    TlsServerCredentials.Builder tls =
        TlsServerCredentials.newBuilder().keyManager(material.keyManager());
    if (material.trustManager() != null) {
      tls.trustManager(material.trustManager())
          .clientAuth(
              role == Role.INTERNAL
                  ? TlsServerCredentials.ClientAuth.REQUIRE
                  : TlsServerCredentials.ClientAuth.OPTIONAL);
    }
    List<ServerInterceptor> interceptors =
        role == Role.INTERNAL
            ? List.of(new AllowedClientsInterceptor(settings.allowedClients()))
            : List.of();
    String description =
        material.trustManager() == null
            ? "TLS"
            : role == Role.INTERNAL
                ? "mTLS, allowed clients " + settings.allowedClients()
                : "TLS, client certificates verified when presented";
    return new ServerSecurity(
        tls.build(), interceptors, material, settings.healthPort(), description);
  }

  public ServerCredentials credentials() {
    return credentials;
  }

  /** Interceptors for the application services (never for health). */
  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /** Whether the port speaks TLS. */
  public boolean tls() {
    return material != null;
  }

  /** The plaintext health-only port ({@code SIEVE_HEALTH_PORT}), negative when off. */
  public int healthPort() {
    return healthPort;
  }

  /** The certificate material, for tests and tools that force a reload; null for plaintext. */
  public ReloadingTlsMaterial material() {
    return material;
  }

  @Override
  public String toString() {
    return description;
  }

  /** Stops watching the certificate files. */
  @Override
  public void close() {
    if (material != null) {
      material.close();
    }
  }
}
