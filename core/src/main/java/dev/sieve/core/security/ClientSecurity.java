package dev.sieve.core.security;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a Sieve process connects to another one (the router to its tiers, tools to the router): TLS
 * with the configured trust and client certificate (reloaded on change), or plaintext where that is
 * allowed. The plaintext rule mirrors {@link ServerSecurity}: a loopback target, or {@code
 * SIEVE_TLS=off}; any other target without TLS configuration is refused with the reason, so a
 * misconfigured router fails at start instead of sending pages over the network in the clear.
 *
 * <p>Host names are verified: the target's host (for {@code dns:///name:port}, the name) must be a
 * DNS or IP subject alternative name of the server's certificate.
 */
public final class ClientSecurity implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClientSecurity.class);

  private final TlsSettings.Mode mode;
  private final ReloadingTlsMaterial material;

  private ClientSecurity(TlsSettings.Mode mode, ReloadingTlsMaterial material) {
    this.mode = mode;
    this.material = material;
  }

  /** The router's tier-client settings ({@code SIEVE_TIER_TLS_*}, {@code SIEVE_TLS}). */
  public static ClientSecurity forTiers() {
    return forTiers(TlsSettings.fromEnvironment());
  }

  /** As {@link #forTiers()} with explicit settings. */
  public static ClientSecurity forTiers(TlsSettings settings) {
    return create(
        "tier client",
        settings.mode(),
        settings.tierCaFile(),
        settings.tierClientIdentity(),
        settings);
  }

  /**
   * A client with explicit trust and identity (tools such as the cli).
   *
   * @param caFile CA bundle; empty = JDK default trust when TLS is used
   * @param identity client certificate for mTLS, or empty
   */
  public static ClientSecurity of(
      String purpose,
      TlsSettings.Mode mode,
      Optional<Path> caFile,
      Optional<PemIdentity> identity) {
    return create(purpose, mode, caFile, identity, TlsSettings.none());
  }

  private static ClientSecurity create(
      String purpose,
      TlsSettings.Mode mode,
      Optional<Path> caFile,
      Optional<PemIdentity> identity,
      TlsSettings settings) {
    boolean configured = caFile.isPresent() || identity.isPresent();
    if (mode == TlsSettings.Mode.OFF) {
      if (configured) {
        throw new IllegalArgumentException(
            "SIEVE_TLS=off contradicts SIEVE_TIER_TLS_CA_FILE / SIEVE_TIER_TLS_CERT_FILE: unset one or the other");
      }
      return new ClientSecurity(mode, null);
    }
    if (!configured && mode == TlsSettings.Mode.AUTO) {
      return new ClientSecurity(mode, null);
    }
    ReloadingTlsMaterial material =
        ReloadingTlsMaterial.load(
                purpose,
                identity,
                caFile,
                true,
                Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION)
            .watch(settings.reloadPeriod());
    return new ClientSecurity(mode, material);
  }

  /** Whether channels use TLS. */
  public boolean tls() {
    return material != null;
  }

  /**
   * A Netty channel builder for {@code target} with this client's credentials.
   *
   * @throws IllegalArgumentException when the target is not loopback and neither TLS nor {@code
   *     SIEVE_TLS=off} is configured
   */
  public NettyChannelBuilder channelBuilder(String target) {
    return NettyChannelBuilder.forTarget(target, credentials(target));
  }

  /** The channel credentials for {@code target}, applying the plaintext rule. */
  public ChannelCredentials credentials(String target) {
    if (material != null) {
      TlsChannelCredentials.Builder tls =
          TlsChannelCredentials.newBuilder().trustManager(material.trustManager());
      if (material.keyManager() != null) {
        tls.keyManager(material.keyManager());
      }
      return tls.build();
    }
    if (mode == TlsSettings.Mode.OFF) {
      if (!Loopback.isLoopbackTarget(target)) {
        log.warn("plaintext connection to {} because SIEVE_TLS=off (development only)", target);
      }
      return InsecureChannelCredentials.create();
    }
    if (!Loopback.isLoopbackTarget(target)) {
      throw new IllegalArgumentException(
          "refusing a plaintext connection to "
              + target
              + ", which is not a loopback address: set"
              + " SIEVE_TIER_TLS_CA_FILE (and SIEVE_TIER_TLS_CERT_FILE / SIEVE_TIER_TLS_KEY_FILE for mTLS),"
              + " or SIEVE_TLS=off to choose plaintext explicitly (development only)");
    }
    return InsecureChannelCredentials.create();
  }

  /** The certificate material, for tests and tools that force a reload; null for plaintext. */
  public ReloadingTlsMaterial material() {
    return material;
  }

  @Override
  public void close() {
    if (material != null) {
      material.close();
    }
  }
}
