package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.containerPort;
import static dev.sieve.helm.Manifests.env;
import static dev.sieve.helm.Manifests.envValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional ICAP adapter (docs/integrations.md): absent by default; enabled, a Deployment and a
 * Service on the ICAP port that call the router's Service, admitted by the router's NetworkPolicy
 * and reachable only from the configured proxies; the render refuses a TLS or client-auth fleet the
 * adapter could not call.
 */
class IcapAdapterChartTest {

  private static final String[] ENABLED = {
    "--set", "icapAdapter.enabled=true",
    "--set", "icapAdapter.routerCaSecret=sieve-router-ca",
    "--set", "icapAdapter.apiKeySecret.name=sieve-icap-key",
    "--set", "icapAdapter.onUnavailableTenants=district-a=allow"
  };

  @Test
  void offByDefault() {
    Manifests render = Renders.defaults();
    for (String kind : List.of("Deployment", "Service", "NetworkPolicy")) {
      assertThat(render.ofKind(kind))
          .noneMatch(doc -> "icap-adapter".equals(Manifests.component(doc)));
    }
  }

  @Test
  void enabledItIsADeploymentAndServiceOnTheIcapPortThatCallTheRouter() {
    Manifests render = Helm.render(ENABLED);
    JsonNode deployment = render.get("Deployment", "sieve-icap-adapter");
    JsonNode adapter = container(deployment);
    JsonNode service = render.get("Service", "sieve-icap-adapter");

    assertThat(containerPort(adapter, "icap")).isEqualTo(1344);
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(1344);
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("icap");
    assertThat(envValue(adapter, "SIEVE_ICAP_ROUTER_TARGET"))
        .isEqualTo(
            "sieve-router:"
                + containerPort(container(render.get("Deployment", "sieve-router")), "grpc"));
    assertThat(envValue(adapter, "SIEVE_ICAP_ROUTER_CA_FILE"))
        .isEqualTo("/etc/sieve/router-ca/ca.crt");
    assertThat(
            env(adapter)
                .get("SIEVE_API_KEY")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("name")
                .asText())
        .isEqualTo("sieve-icap-key");
    assertThat(envValue(adapter, "SIEVE_ICAP_ON_UNAVAILABLE")).isEqualTo("allow");
    assertThat(envValue(adapter, "SIEVE_ICAP_ON_UNAVAILABLE_TENANTS"))
        .isEqualTo("district-a=allow");
    assertThat(adapter.path("readinessProbe").path("tcpSocket").path("port").asText())
        .isEqualTo("icap");
    assertThat(adapter.path("image").asText()).contains("/sieve-icap-adapter:");
    assertThat(adapter.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
  }

  @Test
  void theRouterAdmitsTheAdapterAndTheAdapterAdmitsOnlyItsClients() {
    Manifests render = Helm.render(ENABLED);
    JsonNode routerPolicy = render.get("NetworkPolicy", "sieve-router");
    List<String> routerPeers = new ArrayList<>();
    routerPolicy
        .path("spec")
        .path("ingress")
        .get(0)
        .path("from")
        .forEach(
            peer ->
                routerPeers.add(
                    peer.path("podSelector")
                        .path("matchLabels")
                        .path("app.kubernetes.io/component")
                        .asText()));
    assertThat(routerPeers).contains("icap-adapter");

    JsonNode adapterPolicy = render.get("NetworkPolicy", "sieve-icap-adapter");
    JsonNode ingress = adapterPolicy.path("spec").path("ingress");
    assertThat(ingress).hasSize(1);
    assertThat(
            ingress
                .get(0)
                .path("from")
                .get(0)
                .path("namespaceSelector")
                .path("matchLabels")
                .path("sieve.dev/filtering-stack")
                .asText())
        .isEqualTo("true");
    List<String> egressPorts = new ArrayList<>();
    adapterPolicy
        .path("spec")
        .path("egress")
        .forEach(rule -> rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asText())));
    assertThat(egressPorts)
        .containsExactlyInAnyOrder(
            "53",
            "53",
            Integer.toString(
                containerPort(container(render.get("Deployment", "sieve-router")), "grpc")));
  }

  @Test
  void withoutTheRouterCaOrAnApiKeyTheRenderFailsWithTheReason() {
    Helm.Result noCa =
        Helm.template(
            Helm.RELEASE,
            List.of(
                "--set", "icapAdapter.enabled=true", "--set", "icapAdapter.apiKeySecret.name=k"));
    Helm.Result noKey =
        Helm.template(
            Helm.RELEASE,
            List.of("--set", "icapAdapter.enabled=true", "--set", "icapAdapter.routerCaSecret=ca"));
    Helm.Result badMode =
        Helm.template(
            Helm.RELEASE,
            List.of(
                ENABLED[0],
                ENABLED[1],
                ENABLED[2],
                ENABLED[3],
                ENABLED[4],
                ENABLED[5],
                "--set",
                "icapAdapter.onUnavailable=maybe"));

    assertThat(noCa.succeeded()).isFalse();
    assertThat(noCa.stderr()).contains("icapAdapter.routerCaSecret is required while tls.enabled");
    assertThat(noKey.succeeded()).isFalse();
    assertThat(noKey.stderr()).contains("icapAdapter.apiKeySecret.name is required");
    assertThat(badMode.succeeded()).isFalse();
    assertThat(badMode.stderr()).contains("icapAdapter/onUnavailable");
  }
}
