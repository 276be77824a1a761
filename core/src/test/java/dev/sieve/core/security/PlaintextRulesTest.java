package dev.sieve.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When a process may speak plaintext, and the precise refusals when it may not. */
class PlaintextRulesTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"})
  void loopbackHosts(String host) {
    assertThat(Loopback.isLoopbackHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "192.168.1.1",
        "example.com",
        "localhost.example.com",
        ""
      })
  void otherHosts(String host) {
    assertThat(Loopback.isLoopbackHost(host)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:50052",
        "localhost:1",
        "dns:///localhost:50052",
        "dns://8.8.8.8/127.0.0.1:5",
        "ipv4:127.0.0.1:1,127.0.0.2:2",
        "ipv6:[::1]:5",
        "[::1]:5",
        "unix:/tmp/sock"
      })
  void loopbackTargets(String target) {
    assertThat(Loopback.isLoopbackTarget(target)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dns:///sieve-url-service-headless:50052",
        "10.0.0.5:50052",
        "ipv4:127.0.0.1:1,10.0.0.1:2",
        "tier.example:443",
        "",
        "dns:///"
      })
  void otherTargets(String target) {
    assertThat(Loopback.isLoopbackTarget(target)).isFalse();
  }

  @Test
  void plaintextOnLoopbackNeedsNoSetup() {
    ServerSecurity security =
        ServerSecurity.configure(
            "s", TlsSettings.none(), "127.0.0.1", ServerSecurity.Role.INTERNAL);
    assertThat(security.tls()).isFalse();
    assertThat(security.interceptors()).isEmpty();
  }

  @Test
  void plaintextOnAnyOtherAddressIsRefusedUnlessChosenExplicitly() {
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "s", TlsSettings.none(), "0.0.0.0", ServerSecurity.Role.PUBLIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing to serve plaintext on 0.0.0.0")
        .hasMessageContaining("SIEVE_TLS_CERT_FILE")
        .hasMessageContaining("SIEVE_TLS=off");

    ServerSecurity off =
        ServerSecurity.configure(
            "s",
            TlsSettings.none().withMode(TlsSettings.Mode.OFF),
            "0.0.0.0",
            ServerSecurity.Role.PUBLIC);
    assertThat(off.tls()).isFalse();
  }

  @Test
  void tlsOnWithoutCertificatesIsRefused() {
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "s",
                    TlsSettings.none().withMode(TlsSettings.Mode.ON),
                    "127.0.0.1",
                    ServerSecurity.Role.PUBLIC))
        .hasMessageContaining("SIEVE_TLS=on needs SIEVE_TLS_CERT_FILE");
  }

  @Test
  void offContradictsConfiguredCertificates() {
    TestPki pki = TestPki.create(dir, "ca");
    PemIdentity server = pki.issue("server", "server", "localhost");
    TlsSettings settings =
        TlsSettings.none()
            .withServerIdentity(server, null, Set.of())
            .withMode(TlsSettings.Mode.OFF);
    assertThatThrownBy(
            () -> ServerSecurity.configure("s", settings, "0.0.0.0", ServerSecurity.Role.PUBLIC))
        .hasMessageContaining("SIEVE_TLS=off contradicts");
  }

  @Test
  void aTierWithTlsMustRequireAndAuthorizeClientCertificates() {
    TestPki pki = TestPki.create(dir, "ca");
    PemIdentity server = pki.issue("server", "server", "localhost");
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "url-service",
                    TlsSettings.none().withServerIdentity(server, null, Set.of()),
                    "0.0.0.0",
                    ServerSecurity.Role.INTERNAL))
        .hasMessageContaining("SIEVE_TLS_CLIENT_CA_FILE");
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "url-service",
                    TlsSettings.none().withServerIdentity(server, pki.caFile, Set.of()),
                    "0.0.0.0",
                    ServerSecurity.Role.INTERNAL))
        .hasMessageContaining("SIEVE_TLS_ALLOWED_CLIENTS");

    ServerSecurity tier =
        ServerSecurity.configure(
            "url-service",
            TlsSettings.none().withServerIdentity(server, pki.caFile, Set.of("sieve-router")),
            "0.0.0.0",
            ServerSecurity.Role.INTERNAL);
    assertThat(tier.tls()).isTrue();
    assertThat(tier.interceptors()).singleElement().isInstanceOf(AllowedClientsInterceptor.class);
    tier.close();
  }

  @Test
  void theRouterServesTlsWithOrWithoutAClientCa() {
    TestPki pki = TestPki.create(dir, "ca");
    PemIdentity server = pki.issue("server", "router", "localhost");
    try (ServerSecurity router =
        ServerSecurity.configure(
            "router",
            TlsSettings.none().withServerIdentity(server, null, Set.of()),
            "0.0.0.0",
            ServerSecurity.Role.PUBLIC)) {
      assertThat(router.tls()).isTrue();
      assertThat(router.interceptors()).isEmpty();
    }
  }

  @Test
  void unusableCertificateFilesStopTheStartWithTheReason() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    PemIdentity server = pki.issue("server", "router", "localhost");
    PemIdentity other = pki.issue("other", "router", "localhost");
    PemIdentity mismatched = new PemIdentity(server.certFile(), other.keyFile());
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "router",
                    TlsSettings.none().withServerIdentity(mismatched, null, Set.of()),
                    "0.0.0.0",
                    ServerSecurity.Role.PUBLIC))
        .hasMessageContaining("the private key does not belong to the certificate");

    Path sec1 = dir.resolve("ec.key");
    Files.writeString(
        sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "router",
                    TlsSettings.none()
                        .withServerIdentity(
                            new PemIdentity(server.certFile(), sec1), null, Set.of()),
                    "0.0.0.0",
                    ServerSecurity.Role.PUBLIC))
        .hasMessageContaining("not a PKCS#8 PEM key");

    assertThatThrownBy(
            () ->
                ServerSecurity.configure(
                    "router",
                    TlsSettings.none()
                        .withServerIdentity(
                            new PemIdentity(dir.resolve("missing.crt"), server.keyFile()),
                            null,
                            Set.of()),
                    "0.0.0.0",
                    ServerSecurity.Role.PUBLIC))
        .hasMessageContaining("cannot read");
  }

  @Test
  void clientsRefusePlaintextToNonLoopbackTargets() {
    ClientSecurity auto = ClientSecurity.forTiers(TlsSettings.none());
    assertThat(auto.tls()).isFalse();
    assertThat(auto.credentials("127.0.0.1:50052")).isInstanceOf(InsecureChannelCredentials.class);
    assertThatThrownBy(() -> auto.credentials("dns:///sieve-url-service-headless:50052"))
        .hasMessageContaining(
            "refusing a plaintext connection to dns:///sieve-url-service-headless:50052")
        .hasMessageContaining("SIEVE_TIER_TLS_CA_FILE");

    ClientSecurity off = ClientSecurity.forTiers(TlsSettings.none().withMode(TlsSettings.Mode.OFF));
    assertThat(off.credentials("dns:///sieve-url-service-headless:50052"))
        .isInstanceOf(InsecureChannelCredentials.class);

    ClientSecurity on = ClientSecurity.forTiers(TlsSettings.none().withMode(TlsSettings.Mode.ON));
    assertThat(on.tls()).isTrue();
    assertThat(on.credentials("127.0.0.1:1")).isInstanceOf(TlsChannelCredentials.class);
    on.close();
  }

  @Test
  void settingsAreReadWithTheirNames() {
    System.setProperty("sieve.tls", "sometimes");
    try {
      assertThatThrownBy(TlsSettings::fromEnvironment)
          .hasMessageContaining("SIEVE_TLS must be auto, on or off");
    } finally {
      System.clearProperty("sieve.tls");
    }
    System.setProperty("sieve.tls.cert.file", dir.resolve("x.crt").toString());
    try {
      assertThatThrownBy(TlsSettings::fromEnvironment)
          .hasMessageContaining("SIEVE_TLS_KEY_FILE is missing");
    } finally {
      System.clearProperty("sieve.tls.cert.file");
    }
  }
}
