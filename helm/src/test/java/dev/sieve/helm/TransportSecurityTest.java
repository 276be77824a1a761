package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.env;
import static dev.sieve.helm.Manifests.envValue;
import static dev.sieve.helm.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import dev.sieve.router.auth.TenantCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS, mTLS and client authentication as the chart wires them: every component reads its
 * certificate from a mounted Secret (reloadable, never a subPath), the tiers allow exactly the
 * router's certificate identity, cert-manager Certificates (when on) produce exactly the Secrets
 * the pods mount with the names the router verifies, and the router requires tenant credentials.
 */
class TransportSecurityTest {

  private static final String TLS_DIR = "/etc/sieve-tls";

  static Stream<Arguments> deployments() {
    List<Arguments> cases = new ArrayList<>();
    for (Map.Entry<String, Manifests> render : Renders.standard().entrySet()) {
      for (Component component : Renders.COMPONENTS) {
        cases.add(
            Arguments.of(
                Named.of(component.name() + " (" + render.getKey() + ")", render.getValue()),
                component));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void everyComponentServesTlsFromItsMountedSecret(Manifests render, Component component) {
    JsonNode deployment = render.get("Deployment", component.deployment());
    JsonNode container = container(deployment);

    assertThat(envValue(container, "SIEVE_TLS")).isEqualTo("on");
    assertThat(envValue(container, "SIEVE_TLS_CERT_FILE")).isEqualTo(TLS_DIR + "/tls.crt");
    assertThat(envValue(container, "SIEVE_TLS_KEY_FILE")).isEqualTo(TLS_DIR + "/tls.key");
    assertThat(Integer.parseInt(envValue(container, "SIEVE_TLS_RELOAD_SECONDS"))).isPositive();
    JsonNode mount = mount(container, "tls");
    assertThat(mount.path("mountPath").asText()).isEqualTo(TLS_DIR);
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    assertThat(mount.has("subPath"))
        .as("a subPath mount never sees renewed certificates")
        .isFalse();
    assertThat(secretVolume(deployment, "tls")).isEqualTo("sieve-" + component.name() + "-tls");

    if (component == Renders.ROUTER) {
      assertThat(envValue(container, "SIEVE_TIER_TLS_CA_FILE")).isEqualTo(TLS_DIR + "/ca.crt");
      assertThat(envValue(container, "SIEVE_TIER_TLS_CERT_FILE")).isEqualTo(TLS_DIR + "/tls.crt");
      assertThat(envValue(container, "SIEVE_TIER_TLS_KEY_FILE")).isEqualTo(TLS_DIR + "/tls.key");
      assertThat(env(container)).doesNotContainKey("SIEVE_TLS_ALLOWED_CLIENTS");
    } else {
      assertThat(envValue(container, "SIEVE_TLS_CLIENT_CA_FILE")).isEqualTo(TLS_DIR + "/ca.crt");
      assertThat(envValue(container, "SIEVE_TLS_ALLOWED_CLIENTS")).isEqualTo("sieve-router");
    }
  }

  @Test
  void certManagerIssuesExactlyTheSecretsThePodsMountWithTheNamesTheRouterVerifies() {
    Manifests render = Renders.production();
    List<JsonNode> certificates = render.ofKind("Certificate");
    assertThat(certificates).hasSize(Renders.COMPONENTS.size());

    JsonNode router = container(render.get("Deployment", Renders.ROUTER.deployment()));
    String routerIdentity =
        render.get("Certificate", "sieve-router").path("spec").path("commonName").asText();
    for (Component component : Renders.COMPONENTS) {
      JsonNode deployment = render.get("Deployment", component.deployment());
      JsonNode certificate = render.get("Certificate", component.deployment());
      JsonNode spec = certificate.path("spec");

      assertThat(certificate.path("apiVersion").asText()).isEqualTo("cert-manager.io/v1");
      assertThat(spec.path("secretName").asText()).isEqualTo(secretVolume(deployment, "tls"));
      assertThat(spec.path("privateKey").path("encoding").asText())
          .as("the services read PKCS#8 keys")
          .isEqualTo("PKCS8");
      assertThat(spec.path("privateKey").path("rotationPolicy").asText()).isEqualTo("Always");
      assertThat(spec.path("issuerRef").path("name").asText()).isEqualTo("sieve-internal-ca");
      assertThat(spec.path("issuerRef").path("kind").asText()).isEqualTo("ClusterIssuer");
      List<String> usages = DeploymentContractTest.texts(spec.path("usages"));
      assertThat(usages).contains("server auth");
      if (component == Renders.ROUTER) {
        assertThat(usages)
            .as("the router's certificate is its client certificate to the tiers")
            .contains("client auth");
        assertThat(DeploymentContractTest.texts(spec.path("dnsNames")))
            .contains("sieve-router", "sieve-router.sieve.svc", "sieve.filtering.svc.example.org");
      } else {
        // The router dials dns:///<host>:<port>: <host> must be a name on the tier's certificate.
        String target =
            envValue(router, "SIEVE_" + component.tier().toUpperCase() + "_TIER_TARGET");
        String host = target.substring("dns:///".length(), target.lastIndexOf(':'));
        assertThat(DeploymentContractTest.texts(spec.path("dnsNames"))).contains(host);
        assertThat(envValue(container(deployment), "SIEVE_TLS_ALLOWED_CLIENTS"))
            .isEqualTo(routerIdentity);
      }
    }
  }

  @Test
  void withoutCertManagerNoCertificateIsRenderedAndTheSecretsAreTheOperators() {
    Manifests render = Helm.render("--set", "tls.secrets.router=my-router-cert");
    assertThat(render.ofKind("Certificate")).isEmpty();
    assertThat(secretVolume(render.get("Deployment", "sieve-router"), "tls"))
        .isEqualTo("my-router-cert");
    assertThat(secretVolume(render.get("Deployment", "sieve-url-service"), "tls"))
        .isEqualTo("sieve-url-service-tls");
  }

  @Test
  void plaintextIsAnExplicitChoice() {
    Manifests render = Renders.plaintext();
    for (JsonNode deployment : render.ofKind("Deployment")) {
      JsonNode container = container(deployment);
      assertThat(envValue(container, "SIEVE_TLS")).isEqualTo("off");
      assertThat(env(container))
          .doesNotContainKeys("SIEVE_TLS_CERT_FILE", "SIEVE_TIER_TLS_CA_FILE");
      assertThat(volumeNames(deployment)).doesNotContain("tls");
    }
    assertThat(
            Helm.render("--set", "tls.enabled=false", "--set", "tls.certManager.enabled=true")
                .ofKind("Certificate"))
        .isEmpty();
  }

  @Test
  void theRouterRequiresTenantCredentialsFromASecretByDefault() {
    JsonNode deployment = Renders.defaults().get("Deployment", "sieve-router");
    JsonNode container = container(deployment);

    assertThat(envValue(container, "SIEVE_CLIENT_AUTH")).isEqualTo("required");
    assertThat(envValue(container, "SIEVE_CLIENT_AUTH_FILE"))
        .isEqualTo("/etc/sieve-client-auth/clients.yaml");
    assertThat(secretVolume(deployment, "client-auth")).isEqualTo("sieve-client-auth");
    assertThat(mount(container, "client-auth").has("subPath")).isFalse();
    for (Component tier : Renders.TIERS) {
      assertThat(env(container(Renders.defaults().get("Deployment", tier.deployment()))))
          .doesNotContainKeys("SIEVE_CLIENT_AUTH", "SIEVE_CLIENT_AUTH_FILE");
    }

    JsonNode production = Renders.production().get("Deployment", "sieve-router");
    assertThat(secretVolume(production, "client-auth")).isEqualTo("sieve-client-auth");
    assertThat(envValue(container(production), "SIEVE_TLS_CLIENT_CA_FILE"))
        .isEqualTo("/etc/sieve-client-ca/ca.crt");
    assertThat(secretVolume(production, "client-ca")).isEqualTo("filtering-stack-client-ca");
  }

  @Test
  void inlineTenantsBecomeAClientAuthFileTheRouterParses() {
    String hash = TenantCredentials.hash("sk-district-12");
    Manifests render =
        Helm.render(
            "--set",
            "clientAuth.tenants.district-12.api_keys[0]=" + hash,
            "--set",
            "clientAuth.tenants.district-12.certificate_identities[0]=filter.district-12.example");
    JsonNode deployment = render.get("Deployment", "sieve-router");
    JsonNode secret = render.get("Secret", secretVolume(deployment, "client-auth"));
    String file = envValue(container(deployment), "SIEVE_CLIENT_AUTH_FILE");
    String yaml =
        secret.path("stringData").path(file.substring(file.lastIndexOf('/') + 1)).asText();

    TenantCredentials credentials =
        TenantCredentials.parse("rendered clients.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(credentials.tenantOfKey("sk-district-12")).contains("district-12");
    assertThat(credentials.tenantOfCertificate(Set.of("filter.district-12.example")))
        .contains("district-12");
    assertThat(yaml).doesNotContain("sk-district-12\n");
  }

  @Test
  void clientAuthCanBeSwitchedOffExplicitly() {
    JsonNode deployment =
        Helm.render("--set", "clientAuth.mode=off").get("Deployment", "sieve-router");
    assertThat(envValue(container(deployment), "SIEVE_CLIENT_AUTH")).isEqualTo("off");
    assertThat(env(container(deployment))).doesNotContainKey("SIEVE_CLIENT_AUTH_FILE");
    assertThat(volumeNames(deployment)).doesNotContain("client-auth");
  }

  @Test
  void theProductionLlmEndpointIsHttpsAndInsecureHttpIsOnlyExplicit() {
    JsonNode llm = container(Renders.production().get("Deployment", "sieve-llm-fallback-service"));
    assertThat(envValue(llm, "SIEVE_LLM_URL")).startsWith("https://");
    assertThat(envValue(llm, "SIEVE_LLM_ALLOW_INSECURE_HTTP")).isEqualTo("false");

    JsonNode allowed =
        container(
            Helm.render(
                    "--set",
                    "llm.url=http://vllm.llm.svc:8000/v1",
                    "--set",
                    "llm.apiKey=k",
                    "--set",
                    "llm.allowInsecureHttp=true",
                    "--set",
                    "networkPolicy.egress.llm[0].ipBlock.cidr=10.0.0.0/8")
                .get("Deployment", "sieve-llm-fallback-service"));
    assertThat(envValue(allowed, "SIEVE_LLM_ALLOW_INSECURE_HTTP")).isEqualTo("true");
  }

  private static JsonNode mount(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (volume.equals(mount.path("name").asText())) {
        return mount;
      }
    }
    throw new AssertionError("no mount of volume " + volume);
  }

  /** The Secret name behind the pod volume {@code volume}. */
  static String secretVolume(JsonNode deployment, String volume) {
    for (JsonNode v : podSpec(deployment).path("volumes")) {
      if (volume.equals(v.path("name").asText())) {
        assertThat(v.has("secret")).as("%s is a Secret volume", volume).isTrue();
        return v.path("secret").path("secretName").asText();
      }
    }
    throw new AssertionError("no volume " + volume);
  }

  private static List<String> volumeNames(JsonNode deployment) {
    List<String> names = new ArrayList<>();
    podSpec(deployment).path("volumes").forEach(v -> names.add(v.path("name").asText()));
    return names;
  }
}
