package dev.sieve.cli.support;

import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.security.LocalCertificateAuthority;
import dev.sieve.core.security.PemIdentity;
import dev.sieve.core.security.TlsSettings;
import dev.sieve.core.util.Settings;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLS for the local fleet ({@code ./sieve up --tls}) and for the cli's own connections.
 *
 * <p>{@code up --tls} creates a throwaway CA under {@code .sieve/tls/} (kept between runs, so a
 * client that trusts {@code ca.crt} keeps working), issues one certificate per service (names
 * {@code localhost}, 127.0.0.1, ::1) plus one for the cli, and marks the fleet as TLS; the services
 * get {@code -Dsieve.tls.*} properties: TLS on the router's port, mTLS between router and tiers
 * (the tiers allow only the router's identity, {@value #ROUTER_IDENTITY}).
 *
 * <p>The cli's channels ({@link #clientFor(HostPort)}) use that CA and the cli's certificate for a
 * loopback target while the marker is there; otherwise core's {@link ClientSecurity} rules with the
 * cli's settings: {@code SIEVE_CLI_TLS_CA_FILE} (trust; JDK defaults with {@code SIEVE_TLS=on}),
 * {@code SIEVE_CLI_TLS_CERT_FILE} / {@code SIEVE_CLI_TLS_KEY_FILE} (client certificate), plaintext
 * only to loopback unless {@code SIEVE_TLS=off}.
 */
public final class LocalTls {

  /** The router's certificate identity, which the local tiers allow. */
  public static final String ROUTER_IDENTITY = "sieve-router";

  private static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");
  private static final Duration CA_VALIDITY = Duration.ofDays(365);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(30);
  private static final String MARKER = "ENABLED";

  /** One client per local CA directory (tests run fleets in several homes in one JVM). */
  private static final Map<Path, ClientSecurity> LOCAL_CLIENTS = new HashMap<>();

  private static ClientSecurity configuredClient;

  private final Path dir;

  private LocalTls(Path dir) {
    this.dir = dir;
  }

  public static LocalTls of(SieveLayout layout) {
    return new LocalTls(layout.runtimeDir().resolve("tls"));
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  /** Whether the running local fleet was started with {@code --tls}. */
  public boolean enabled() {
    return Files.isRegularFile(dir.resolve(MARKER));
  }

  /**
   * Creates (or reuses) the CA and issues fresh certificates for {@code services} and the cli, then
   * marks the fleet as TLS.
   *
   * @param extraNames further names for the service certificates (a non-loopback bind address)
   */
  public void prepare(List<String> services, List<String> extraNames) {
    LocalCertificateAuthority ca;
    Path caKey = dir.resolve("ca.key");
    if (Files.isRegularFile(caFile())
        && Files.isRegularFile(caKey)
        && caValidFor(caFile(), LEAF_VALIDITY)) {
      ca = LocalCertificateAuthority.load(caFile(), caKey);
    } else {
      ca = LocalCertificateAuthority.create("Sieve local development CA", CA_VALIDITY);
      ca.write(caFile(), caKey);
    }
    List<String> names = new ArrayList<>(LOCAL_NAMES);
    extraNames.stream().filter(n -> !names.contains(n)).forEach(names::add);
    for (String service : services) {
      String commonName = service.equals("router") ? ROUTER_IDENTITY : service;
      ca.issue(commonName, names, LEAF_VALIDITY).write(certFile(service), keyFile(service));
    }
    ca.issue("sieve-cli", List.of(), LEAF_VALIDITY).write(certFile("cli"), keyFile("cli"));
    try {
      Files.writeString(dir.resolve(MARKER), "the local fleet was started with ./sieve up --tls\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the marker: the next fleet is plaintext on loopback. */
  public void disable() {
    try {
      Files.deleteIfExists(dir.resolve(MARKER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code -D} properties that make {@code service} serve with the local certificates. */
  public Map<String, String> serviceProperties(String service, boolean router) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("sieve.tls", "on");
    properties.put("sieve.tls.cert.file", certFile(service).toString());
    properties.put("sieve.tls.key.file", keyFile(service).toString());
    if (router) {
      properties.put("sieve.tier.tls.ca.file", caFile().toString());
      properties.put("sieve.tier.tls.cert.file", certFile(service).toString());
      properties.put("sieve.tier.tls.key.file", keyFile(service).toString());
    } else {
      properties.put("sieve.tls.client.ca.file", caFile().toString());
      properties.put("sieve.tls.allowed.clients", ROUTER_IDENTITY);
    }
    return properties;
  }

  /** The credentials the cli connects to {@code target} with (see the class comment). */
  public static synchronized ClientSecurity clientFor(HostPort target) {
    LocalTls local = of(SieveLayout.fromSettings());
    if (local.enabled() && target.isLoopback()) {
      return LOCAL_CLIENTS.computeIfAbsent(
          local.dir,
          dir ->
              ClientSecurity.of(
                  "cli",
                  TlsSettings.Mode.ON,
                  Optional.of(local.caFile()),
                  Optional.of(new PemIdentity(local.certFile("cli"), local.keyFile("cli")))));
    }
    if (configuredClient == null) {
      TlsSettings.Mode mode = TlsSettings.fromEnvironment().mode();
      Optional<PemIdentity> identity =
          Settings.get("SIEVE_CLI_TLS_CERT_FILE")
              .map(
                  cert ->
                      new PemIdentity(
                          Path.of(cert),
                          Path.of(
                              Settings.get("SIEVE_CLI_TLS_KEY_FILE")
                                  .orElseThrow(
                                      () ->
                                          new IllegalArgumentException(
                                              "SIEVE_CLI_TLS_CERT_FILE needs SIEVE_CLI_TLS_KEY_FILE")))));
      configuredClient =
          ClientSecurity.of(
              "cli", mode, Settings.get("SIEVE_CLI_TLS_CA_FILE").map(Path::of), identity);
    }
    return configuredClient;
  }

  private Path certFile(String service) {
    return dir.resolve(service + ".crt");
  }

  private Path keyFile(String service) {
    return dir.resolve(service + ".key");
  }

  private static boolean caValidFor(Path caFile, Duration margin) {
    try (var in = Files.newInputStream(caFile)) {
      var certs = CertificateUtils.getX509Certificates(in);
      return certs.length > 0
          && certs[0].getNotAfter().toInstant().isAfter(Instant.now().plus(margin));
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }
}
