package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Egress: the router reaches only DNS and the tiers' gRPC ports, url-service and content-service
 * reach nothing (the content tier parses untrusted HTML), llm-fallback-service reaches DNS and its
 * LLM endpoint only; every component reaches the OTLP collector only while traces are exported.
 */
class NetworkEgressTest {

  @Test
  void routerReachesDnsAndEachTiersGrpcPortOnly() {
    Manifests render = Renders.defaults();
    JsonNode egress = egress(render, "router");
    Set<String> tiersReached = new HashSet<>();
    for (JsonNode rule : egress) {
      if (isDns(rule)) {
        continue;
      }
      assertThat(rule.path("to")).hasSize(1);
      JsonNode peer = rule.path("to").get(0);
      assertThat(peer.has("namespaceSelector") || peer.has("ipBlock"))
          .as("only pods of this release")
          .isFalse();
      JsonNode tier = render.deploymentSelectedBy(peer.path("podSelector").path("matchLabels"));
      Component component = Renders.component(Manifests.component(tier));
      assertThat(ports(rule)).containsExactly(component.grpcPort());
      tiersReached.add(component.name());
    }
    assertThat(tiersReached)
        .containsExactlyInAnyOrder("url-service", "content-service", "llm-fallback-service");
  }

  @Test
  void urlAndContentTiersReachNothing() {
    for (String tier : List.of("url-service", "content-service")) {
      JsonNode spec = policy(Renders.defaults(), tier).path("spec");
      assertThat(DeploymentContractTest.texts(spec.path("policyTypes"))).contains("Egress");
      assertThat(spec.path("egress").isArray()).isTrue();
      assertThat(spec.path("egress")).as("%s egress rules", tier).isEmpty();
    }
    // Without an LLM endpoint the llm tier needs nothing either.
    assertThat(egress(Renders.defaults(), "llm-fallback-service")).isEmpty();
  }

  @Test
  void llmTierReachesDnsAndItsEndpointOnTheEndpointsPort() {
    JsonNode egress = egress(Renders.production(), "llm-fallback-service");
    List<JsonNode> other = new ArrayList<>();
    egress.forEach(
        rule -> {
          if (!isDns(rule) && !isOtel(rule)) {
            other.add(rule);
          }
        });
    assertThat(other).hasSize(1);
    assertThat(ports(other.get(0))).containsExactly(8443);
    JsonNode peer = other.get(0).path("to").get(0);
    assertThat(
            peer.path("namespaceSelector")
                .path("matchLabels")
                .path("kubernetes.io/metadata.name")
                .asText())
        .isEqualTo("llm");

    JsonNode defaultPort =
        egress(
            Helm.render(
                "--set",
                "llm.url=https://api.llm.example/v1",
                "--set",
                "networkPolicy.egress.llm[0].ipBlock.cidr=203.0.113.0/24"),
            "llm-fallback-service");
    assertThat(defaultPort).anySatisfy(rule -> assertThat(ports(rule)).containsExactly(443));
  }

  @Test
  void tracesExportOpensTheCollectorAndDnsForEveryComponent() {
    for (Component component : Renders.COMPONENTS) {
      JsonNode egress = egress(Renders.production(), component.name());
      assertThat(egress).as(component.name()).anySatisfy(rule -> assertThat(isOtel(rule)).isTrue());
      assertThat(egress).as(component.name()).anySatisfy(rule -> assertThat(isDns(rule)).isTrue());
    }
  }

  @Test
  void everyEgressRuleNamesItsDestinations() {
    for (Manifests render :
        List.of(Renders.defaults(), Renders.production(), Renders.longRelease())) {
      for (JsonNode policy : render.ofKind("NetworkPolicy")) {
        for (JsonNode rule : policy.path("spec").path("egress")) {
          assertThat(rule.path("to").size())
              .as("%s: a rule without 'to' allows everything", Manifests.name(policy))
              .isPositive();
          assertThat(rule.path("ports").size()).isPositive();
        }
      }
    }
  }

  @Test
  void egressRestrictionCanBeSwitchedOff() {
    for (JsonNode policy :
        Helm.render("--set", "networkPolicy.egress.enabled=false").ofKind("NetworkPolicy")) {
      assertThat(DeploymentContractTest.texts(policy.path("spec").path("policyTypes")))
          .containsExactly("Ingress");
      assertThat(policy.path("spec").has("egress")).isFalse();
    }
  }

  private static JsonNode policy(Manifests render, String component) {
    return render.ofKind("NetworkPolicy").stream()
        .filter(p -> component.equals(Manifests.component(p)))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode egress(Manifests render, String component) {
    JsonNode spec = policy(render, component).path("spec");
    assertThat(DeploymentContractTest.texts(spec.path("policyTypes"))).contains("Egress");
    return spec.path("egress");
  }

  private static boolean isDns(JsonNode rule) {
    return ports(rule).equals(List.of(53, 53));
  }

  private static boolean isOtel(JsonNode rule) {
    return ports(rule).equals(List.of(4317));
  }

  private static List<Integer> ports(JsonNode rule) {
    List<Integer> ports = new ArrayList<>();
    rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
    return ports;
  }
}
