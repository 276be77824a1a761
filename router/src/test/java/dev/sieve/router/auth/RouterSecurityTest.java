package dev.sieve.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.security.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the router requires client credentials, and its refusals to start without them. */
class RouterSecurityTest {

  @TempDir Path dir;

  private static final Duration RELOAD = Duration.ofSeconds(5);

  @Test
  void loopbackDevelopmentNeedsNoCredentials() {
    RouterSecurity security =
        RouterSecurity.configure(TlsSettings.none(), "auto", Optional.empty(), RELOAD, "127.0.0.1");
    assertThat(security.authenticatesClients()).isFalse();
    assertThat(security.transport().tls()).isFalse();
  }

  @Test
  void anyOtherAddressNeedsCredentialsOrAnExplicitOff() {
    TlsSettings plaintext = TlsSettings.none().withMode(TlsSettings.Mode.OFF);
    assertThatThrownBy(
            () -> RouterSecurity.configure(plaintext, "auto", Optional.empty(), RELOAD, "0.0.0.0"))
        .hasMessageContaining("refusing to serve Classify on 0.0.0.0 without client authentication")
        .hasMessageContaining("SIEVE_CLIENT_AUTH_FILE")
        .hasMessageContaining("SIEVE_CLIENT_AUTH=off");
    assertThat(
            RouterSecurity.configure(plaintext, "off", Optional.empty(), RELOAD, "0.0.0.0")
                .authenticatesClients())
        .isFalse();
  }

  @Test
  void aConfiguredFileTurnsAuthenticationOnEvenOnLoopback() throws Exception {
    Path file = dir.resolve("clients.yaml");
    Files.writeString(
        file, "tenants:\n  a:\n    api_keys: [" + TenantCredentials.hash("k") + "]\n");
    assertThat(
            RouterSecurity.configure(
                    TlsSettings.none(), "auto", Optional.of(file), RELOAD, "127.0.0.1")
                .authenticatesClients())
        .isTrue();
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(), "off", Optional.of(file), RELOAD, "127.0.0.1"))
        .hasMessageContaining("contradicts");
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(), "required", Optional.empty(), RELOAD, "127.0.0.1"))
        .hasMessageContaining("SIEVE_CLIENT_AUTH=required needs SIEVE_CLIENT_AUTH_FILE");
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(), "maybe", Optional.empty(), RELOAD, "127.0.0.1"))
        .hasMessageContaining("SIEVE_CLIENT_AUTH must be auto, required or off");
  }

  @Test
  void anUnreadableOrInvalidFileStopsTheStart() throws Exception {
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(),
                    "auto",
                    Optional.of(dir.resolve("missing.yaml")),
                    RELOAD,
                    "127.0.0.1"))
        .hasMessageContaining("cannot read client-auth file");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "tenants:\n  a:\n    api_keys: [plain-text-key]\n");
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(), "auto", Optional.of(bad), RELOAD, "127.0.0.1"))
        .hasMessageContaining("tenant 'a'.api_keys")
        .hasMessageContaining("never the key");
  }

  @Test
  void plaintextOnAPublicAddressIsRefusedEvenWithCredentials() throws Exception {
    Path file = dir.resolve("clients.yaml");
    Files.writeString(
        file, "tenants:\n  a:\n    api_keys: [" + TenantCredentials.hash("k") + "]\n");
    assertThatThrownBy(
            () ->
                RouterSecurity.configure(
                    TlsSettings.none(), "auto", Optional.of(file), RELOAD, "0.0.0.0"))
        .hasMessageContaining("refusing to serve plaintext on 0.0.0.0");
  }
}
