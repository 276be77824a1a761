package dev.sieve.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client-auth file: hashed keys and certificate identities, each naming exactly one tenant. */
class TenantCredentialsTest {

  private static TenantCredentials parse(String yaml) {
    return TenantCredentials.parse("clients.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void keysAreLookedUpByTheirHashAndIdentitiesAsListed() {
    TenantCredentials credentials =
        parse(
            """
        tenants:
          district-a:
            api_keys: [%s]
            certificate_identities: [filter.a.example, "spiffe://schools/a"]
          district-b:
            api_keys: [%s]
        """
                .formatted(TenantCredentials.hash("key-a"), TenantCredentials.hash("key-b")));

    assertThat(credentials.tenantOfKey("key-a")).contains("district-a");
    assertThat(credentials.tenantOfKey("key-b")).contains("district-b");
    assertThat(credentials.tenantOfKey("key-c")).isEmpty();
    assertThat(credentials.tenantOfKey(TenantCredentials.hash("key-a")))
        .as("the hash is not a key")
        .isEmpty();
    assertThat(credentials.tenantOfCertificate(Set.of("spiffe://schools/a")))
        .contains("district-a");
    assertThat(credentials.tenantOfCertificate(Set.of("filter.b.example"))).isEmpty();
    assertThat(TenantCredentials.hash("key-a")).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void aCredentialListedForTwoTenantsIsRejected() {
    String hash = TenantCredentials.hash("shared");
    assertThatThrownBy(
            () ->
                parse(
                    "tenants:\n  a:\n    api_keys: ["
                        + hash
                        + "]\n  b:\n    api_keys: ["
                        + hash
                        + "]\n"))
        .hasMessageContaining("also listed for tenant 'a'");
    assertThatThrownBy(
            () ->
                parse(
                    "tenants:\n  a:\n    certificate_identities: [x.example]\n  b:\n    certificate_identities: [x.example]\n"))
        .hasMessageContaining("'x.example' is also listed for tenant 'a'");
  }

  @Test
  void malformedFilesAreRejectedWithTheirPlace() {
    assertThatThrownBy(() -> parse("tenant: {}")).hasMessageContaining("'tenants:'");
    assertThatThrownBy(() -> parse("tenants: {a: {}}\nextra: 1"))
        .hasMessageContaining("unknown top-level key 'extra'");
    assertThatThrownBy(() -> parse("tenants:\n  a:\n    api_key: []\n"))
        .hasMessageContaining("unknown key 'api_key'");
    assertThatThrownBy(() -> parse("tenants:\n  a:\n    api_keys: sha256:00\n"))
        .hasMessageContaining("expected a list");
    assertThatThrownBy(() -> parse("tenants:\n  a:\n    api_keys: [\"sha256:ABC\"]\n"))
        .hasMessageContaining("sha256:<64");
    assertThatThrownBy(() -> parse("tenants:\n  'bad tenant':\n    api_keys: []\n"))
        .hasMessageContaining("tenant ids");
    assertThatThrownBy(() -> parse("tenants: [")).hasMessageContaining("not valid YAML");
  }
}
