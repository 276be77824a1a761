package dev.sieve.core.security;

import dev.sieve.core.util.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every transport-security setting of a Sieve process, read in one place (environment variable or
 * the matching {@code -Dsieve.*} property, see {@link Settings}) so that the code, the Helm chart
 * and {@code docs/operations.md} agree on the names.
 *
 * <ul>
 *   <li>{@code SIEVE_TLS}: {@code auto} (default), {@code on} or {@code off}. {@code auto} serves
 *       TLS when a certificate is configured and plaintext otherwise, but plaintext only on a
 *       loopback address; {@code on} requires certificates; {@code off} is the explicit choice of
 *       plaintext (development), allowed on any address.
 *   <li>{@code SIEVE_TLS_CERT_FILE}, {@code SIEVE_TLS_KEY_FILE}: this server's certificate chain
 *       and PKCS#8 key (PEM).
 *   <li>{@code SIEVE_TLS_CLIENT_CA_FILE}: CA bundle that client certificates are verified against
 *       (mTLS). Required on the tiers when TLS is on; optional on the router, whose clients may
 *       authenticate with API keys instead.
 *   <li>{@code SIEVE_TLS_ALLOWED_CLIENTS}: comma-separated certificate identities (DNS or URI
 *       subject alternative names, or the subject CN) allowed to call a tier's Scorer service.
 *   <li>{@code SIEVE_TIER_TLS_CA_FILE}: CA bundle the router verifies tier certificates against
 *       (unset with {@code SIEVE_TLS=on}: the JDK's default trust store); {@code
 *       SIEVE_TIER_TLS_CERT_FILE}, {@code SIEVE_TIER_TLS_KEY_FILE}: the router's client certificate
 *       for mTLS to the tiers.
 *   <li>{@code SIEVE_TLS_RELOAD_SECONDS} (30): how often certificate, key and CA files are checked
 *       for new content; new connections use what was read last.
 *   <li>{@code SIEVE_HEALTH_PORT} (-1 = off): an extra plaintext port that serves only {@code
 *       grpc.health.v1}, for probes that cannot speak TLS (Kubernetes' native gRPC probes).
 * </ul>
 */
public record TlsSettings(
    Mode mode,
    Optional<PemIdentity> serverIdentity,
    Optional<Path> clientCaFile,
    Set<String> allowedClients,
    Optional<Path> tierCaFile,
    Optional<PemIdentity> tierClientIdentity,
    Duration reloadPeriod,
    int healthPort) {

  /** The {@code SIEVE_TLS} switch. */
  public enum Mode {
    AUTO,
    ON,
    OFF
  }

  public TlsSettings {
    allowedClients = Set.copyOf(allowedClients);
    if (reloadPeriod.isNegative() || reloadPeriod.isZero()) {
      throw new IllegalArgumentException(
          "SIEVE_TLS_RELOAD_SECONDS must be positive, got " + reloadPeriod.toSeconds());
    }
  }

  /**
   * Nothing configured: plaintext on loopback only (what tests and {@code ./sieve up} start with).
   */
  public static TlsSettings none() {
    return new TlsSettings(
        Mode.AUTO,
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(30),
        -1);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed or half of a
   *     certificate/key pair is missing
   */
  public static TlsSettings fromEnvironment() {
    String mode = Settings.get("SIEVE_TLS", "auto").toLowerCase(Locale.ROOT);
    Mode parsed =
        switch (mode) {
          case "auto" -> Mode.AUTO;
          case "on", "true", "tls" -> Mode.ON;
          case "off", "false", "plaintext" -> Mode.OFF;
          default ->
              throw new IllegalArgumentException(
                  "SIEVE_TLS must be auto, on or off, got '" + mode + "'");
        };
    Set<String> allowed = new LinkedHashSet<>();
    Arrays.stream(Settings.get("SIEVE_TLS_ALLOWED_CLIENTS", "").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(allowed::add);
    return new TlsSettings(
        parsed,
        identity("SIEVE_TLS_CERT_FILE", "SIEVE_TLS_KEY_FILE"),
        Settings.get("SIEVE_TLS_CLIENT_CA_FILE").map(Path::of),
        allowed,
        Settings.get("SIEVE_TIER_TLS_CA_FILE").map(Path::of),
        identity("SIEVE_TIER_TLS_CERT_FILE", "SIEVE_TIER_TLS_KEY_FILE"),
        Duration.ofSeconds(Settings.getLong("SIEVE_TLS_RELOAD_SECONDS", 30)),
        Settings.getInt("SIEVE_HEALTH_PORT", -1));
  }

  public TlsSettings withMode(Mode value) {
    return new TlsSettings(
        value,
        serverIdentity,
        clientCaFile,
        allowedClients,
        tierCaFile,
        tierClientIdentity,
        reloadPeriod,
        healthPort);
  }

  public TlsSettings withServerIdentity(PemIdentity identity, Path clientCa, Set<String> allowed) {
    return new TlsSettings(
        mode,
        Optional.of(identity),
        Optional.ofNullable(clientCa),
        allowed,
        tierCaFile,
        tierClientIdentity,
        reloadPeriod,
        healthPort);
  }

  public TlsSettings withTierClient(Path caFile, PemIdentity identity) {
    return new TlsSettings(
        mode,
        serverIdentity,
        clientCaFile,
        allowedClients,
        Optional.ofNullable(caFile),
        Optional.ofNullable(identity),
        reloadPeriod,
        healthPort);
  }

  public TlsSettings withReloadPeriod(Duration value) {
    return new TlsSettings(
        mode,
        serverIdentity,
        clientCaFile,
        allowedClients,
        tierCaFile,
        tierClientIdentity,
        value,
        healthPort);
  }

  public TlsSettings withHealthPort(int value) {
    return new TlsSettings(
        mode,
        serverIdentity,
        clientCaFile,
        allowedClients,
        tierCaFile,
        tierClientIdentity,
        reloadPeriod,
        value);
  }

  private static Optional<PemIdentity> identity(String certSetting, String keySetting) {
    Optional<String> cert = Settings.get(certSetting);
    Optional<String> key = Settings.get(keySetting);
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          certSetting
              + " and "
              + keySetting
              + " must be set together ("
              + (cert.isPresent() ? keySetting : certSetting)
              + " is missing)");
    }
    return cert.map(c -> new PemIdentity(Path.of(c), Path.of(key.get())));
  }
}
