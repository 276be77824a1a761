package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.containerPort;
import static dev.sieve.helm.Manifests.envValue;
import static dev.sieve.helm.Manifests.podLabels;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the pieces find each other: Services select real pods on real ports, the router's tier
 * targets name headless Services (client-side round-robin needs every pod's address), network
 * policies admit only the intended callers, and the ServiceMonitor scrapes each component once.
 */
class ServiceWiringTest {

  private static final Pattern DNS_TARGET = Pattern.compile("dns:///([a-z0-9-]+):(\\d+)");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  static Stream<Arguments> renders() {
    return Stream.concat(
        Renders.standard().entrySet().stream()
            .map(e -> Arguments.of(Named.of(e.getKey(), e.getValue()))),
        Stream.of(Arguments.of(Named.of("53-character release name", Renders.longRelease()))));
  }

  @ParameterizedTest
  @MethodSource("renders")
  void everyServiceSelectsExistingPodsOnNamedContainerPorts(Manifests render) {
    assertThat(render.ofKind("Service")).isNotEmpty();
    for (JsonNode service : render.ofKind("Service")) {
      JsonNode deployment = render.deploymentSelectedBy(service.path("spec").path("selector"));
      for (JsonNode port : service.path("spec").path("ports")) {
        String target = port.path("targetPort").asText();
        assertThat(containerPort(container(deployment), target))
            .as("%s port %s", Manifests.name(service), port.path("name").asText())
            .isEqualTo(port.path("port").asInt());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void routerIsAClusterIpServiceAndTiersAreHeadlessOnly(Manifests render) {
    for (JsonNode service : render.ofKind("Service")) {
      String component = Manifests.component(service);
      boolean headless = "None".equals(service.path("spec").path("clusterIP").asText());
      if (!"router".equals(component)) {
        assertThat(headless).as("%s is headless", Manifests.name(service)).isTrue();
      }
      if (headless) {
        assertThat(service.path("spec").path("publishNotReadyAddresses").asBoolean(false))
            .isFalse();
      }
    }
    List<JsonNode> routerClusterIp =
        render.ofKind("Service").stream()
            .filter(s -> "router".equals(Manifests.component(s)))
            .filter(s -> !"None".equals(s.path("spec").path("clusterIP").asText()))
            .toList();
    assertThat(routerClusterIp).hasSize(1);
    assertThat(routerClusterIp.get(0).path("spec").path("type").asText()).isEqualTo("ClusterIP");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void routerTargetsEachTierThroughItsHeadlessService(Manifests render) {
    JsonNode router = deploymentOf(render, "router");
    for (Component tier : Renders.TIERS) {
      String target =
          envValue(container(router), "SIEVE_" + tier.tier().toUpperCase() + "_TIER_TARGET");
      Matcher m = DNS_TARGET.matcher(target);
      assertThat(m.matches()).as("%s is a dns:/// target", target).isTrue();

      JsonNode service = render.get("Service", m.group(1));
      assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
      JsonNode tierDeployment = render.deploymentSelectedBy(service.path("spec").path("selector"));
      assertThat(Manifests.component(tierDeployment)).isEqualTo(tier.name());
      JsonNode grpcPort = servicePort(service, "grpc");
      assertThat(grpcPort.path("port").asInt())
          .isEqualTo(Integer.parseInt(m.group(2)))
          .isEqualTo(tier.grpcPort());
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void resourceNamesAreValidDnsLabels(Manifests render) {
    for (JsonNode doc : render.all()) {
      String name = Manifests.name(doc);
      assertThat(name.length()).as(name).isLessThanOrEqualTo(63);
      assertThat(DNS_LABEL.matcher(name).matches()).as(name).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void tiersAdmitOnlyTheRouterAndPrometheus(Manifests render) {
    JsonNode router = deploymentOf(render, "router");
    List<JsonNode> policies = render.ofKind("NetworkPolicy");
    assertThat(policies).hasSize(render.ofKind("Deployment").size());

    for (JsonNode policy : policies) {
      JsonNode spec = policy.path("spec");
      JsonNode target = render.deploymentSelectedBy(spec.path("podSelector").path("matchLabels"));
      assertThat(DeploymentContractTest.texts(spec.path("policyTypes"))).contains("Ingress");
      for (JsonNode rule : spec.path("ingress")) {
        // A rule without peers admits every source.
        assertThat(rule.path("from").size())
            .as("%s has peers in every rule", Manifests.name(policy))
            .isPositive();
        assertThat(rule.path("ports").size()).isPositive();
      }
      JsonNode grpcRule = ruleForPort(spec, "grpc");
      if ("router".equals(Manifests.component(target))) {
        assertThat(grpcRule.path("from").toString()).contains("namespaceSelector");
      } else {
        assertThat(grpcRule.path("from")).hasSize(1);
        JsonNode peer = grpcRule.path("from").get(0);
        assertThat(peer.has("namespaceSelector") || peer.has("ipBlock")).isFalse();
        assertThat(render.deploymentSelectedBy(peer.path("podSelector").path("matchLabels")))
            .isSameAs(router);
      }
      JsonNode metricsRule = ruleForPort(spec, "metrics");
      assertThat(metricsRule.path("from").toString()).contains("monitoring");
    }
  }

  @Test
  void routerAdmitsExactlyTheConfiguredFilteringStackPeers() {
    JsonNode policy = Renders.production().get("NetworkPolicy", "sieve-router");
    JsonNode from = ruleForPort(policy.path("spec"), "grpc").path("from");

    assertThat(from).hasSize(1);
    assertThat(
            from.get(0)
                .path("namespaceSelector")
                .path("matchLabels")
                .path("kubernetes.io/metadata.name")
                .asText())
        .isEqualTo("filtering");
    assertThat(
            from.get(0)
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/name")
                .asText())
        .isEqualTo("filtering-proxy");
  }

  @Test
  void networkPolicyCanBeSwitchedOff() {
    assertThat(Helm.render("--set", "networkPolicy.enabled=false").ofKind("NetworkPolicy"))
        .isEmpty();
  }

  @Test
  void serviceMonitorScrapesEachComponentOnceOnItsMetricsPort() {
    Manifests render = Renders.production();
    List<JsonNode> monitors = render.ofKind("ServiceMonitor");
    assertThat(monitors).hasSize(1);
    JsonNode spec = monitors.get(0).path("spec");
    assertThat(monitors.get(0).path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitors.get(0).path("metadata").path("labels").path("release").asText())
        .isEqualTo("kube-prometheus-stack");
    assertThat(spec.path("endpoints")).hasSize(1);
    JsonNode endpoint = spec.path("endpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");

    JsonNode selector = spec.path("selector").path("matchLabels");
    List<JsonNode> scraped =
        render.ofKind("Service").stream()
            .filter(s -> Manifests.selects(selector, s.path("metadata").path("labels")))
            .toList();
    assertThat(scraped.stream().map(Manifests::component))
        .containsExactlyInAnyOrder(
            "router", "url-service", "content-service", "llm-fallback-service");
    for (JsonNode service : scraped) {
      Component component = Renders.component(Manifests.component(service));
      assertThat(servicePort(service, "metrics").path("port").asInt())
          .isEqualTo(component.metricsPort());
    }
  }

  @Test
  void serviceMonitorIsOffByDefault() {
    assertThat(Renders.defaults().ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void disabledTierIsNotDeployedAndTheRouterIsToldSo() {
    Manifests render = Helm.render("--set", "llmFallbackService.enabled=false");

    assertThat(render.all()).noneMatch(d -> "llm-fallback-service".equals(Manifests.component(d)));
    JsonNode router = deploymentOf(render, "router");
    assertThat(envValue(container(router), "SIEVE_LLM_TIER_TARGET")).isEmpty();
    assertThat(envValue(container(router), "SIEVE_URL_TIER_TARGET")).startsWith("dns:///");
    assertThat(render.ofKind("Secret")).isEmpty();
  }

  static JsonNode deploymentOf(Manifests render, String component) {
    return render.ofKind("Deployment").stream()
        .filter(d -> component.equals(podLabels(d).path("app.kubernetes.io/component").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment for " + component));
  }

  private static JsonNode servicePort(JsonNode service, String name) {
    for (JsonNode port : service.path("spec").path("ports")) {
      if (name.equals(port.path("name").asText())) {
        return port;
      }
    }
    throw new AssertionError(Manifests.name(service) + " has no port " + name);
  }

  private static JsonNode ruleForPort(JsonNode policySpec, String port) {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode rule : policySpec.path("ingress")) {
      for (JsonNode p : rule.path("ports")) {
        if (port.equals(p.path("port").asText())) {
          rules.add(rule);
        }
      }
    }
    assertThat(rules).as("one ingress rule for port %s", port).hasSize(1);
    return rules.get(0);
  }
}
