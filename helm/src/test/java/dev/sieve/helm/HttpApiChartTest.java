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
 * The router's JSON/HTTP API (docs/integrations.md): on by default, a named container port, the
 * router Service's "http" port, SIEVE_HTTP_PORT, and the same NetworkPolicy callers as gRPC;
 * router.http.enabled=false removes all of it.
 */
class HttpApiChartTest {

  private static List<String> ingressPorts(JsonNode policy) {
    List<String> ports = new ArrayList<>();
    for (JsonNode rule : policy.path("spec").path("ingress")) {
      for (JsonNode port : rule.path("ports")) {
        ports.add(port.path("port").asText());
      }
    }
    return ports;
  }

  private static List<String> servicePorts(JsonNode service) {
    List<String> ports = new ArrayList<>();
    service
        .path("spec")
        .path("ports")
        .forEach(p -> ports.add(p.path("name").asText() + "=" + p.path("port").asInt()));
    return ports;
  }

  @Test
  void servedByDefaultWithTlsAndPlaintext() {
    for (Manifests render :
        List.of(Renders.defaults(), Renders.plaintext(), Renders.production())) {
      JsonNode router = container(render.get("Deployment", "sieve-router"));
      assertThat(containerPort(router, "http")).isEqualTo(8080);
      assertThat(envValue(router, "SIEVE_HTTP_PORT")).isEqualTo("8080");
      assertThat(envValue(router, "SIEVE_HTTP_MAX_BATCH_ITEMS")).isEqualTo("256");
      assertThat(env(router)).doesNotContainKey("SIEVE_HTTP_MAX_BODY_BYTES");
      assertThat(servicePorts(render.get("Service", "sieve-router")))
          .contains("http=8080", "grpc=50051");
      JsonNode policy = render.get("NetworkPolicy", "sieve-router");
      assertThat(ingressPorts(policy)).contains("grpc", "http");
      // http sits in the same rule as grpc: the same callers.
      JsonNode grpcRule = null;
      for (JsonNode rule : policy.path("spec").path("ingress")) {
        List<String> names = new ArrayList<>();
        rule.path("ports").forEach(p -> names.add(p.path("port").asText()));
        if (names.contains("grpc")) {
          grpcRule = rule;
          assertThat(names).contains("http");
        }
      }
      assertThat(grpcRule).isNotNull();
      for (String tier :
          List.of("sieve-url-service", "sieve-content-service", "sieve-llm-fallback-service")) {
        assertThat(env(container(render.get("Deployment", tier))))
            .doesNotContainKey("SIEVE_HTTP_PORT");
      }
    }
  }

  @Test
  void offRemovesThePortEverywhereAndSettingsReachTheRouter() {
    Manifests off = Helm.render("--set", "router.http.enabled=false");
    JsonNode router = container(off.get("Deployment", "sieve-router"));
    assertThat(env(router)).doesNotContainKey("SIEVE_HTTP_PORT");
    assertThat(servicePorts(off.get("Service", "sieve-router")))
        .noneMatch(p -> p.startsWith("http="));
    assertThat(ingressPorts(off.get("NetworkPolicy", "sieve-router"))).doesNotContain("http");

    Manifests tuned =
        Helm.render(
            "--set",
            "router.ports.http=9443",
            "--set",
            "router.http.maxBodyBytes=1048576",
            "--set",
            "router.http.maxBatchItems=32");
    JsonNode tunedRouter = container(tuned.get("Deployment", "sieve-router"));
    assertThat(envValue(tunedRouter, "SIEVE_HTTP_PORT")).isEqualTo("9443");
    assertThat(envValue(tunedRouter, "SIEVE_HTTP_MAX_BODY_BYTES")).isEqualTo("1048576");
    assertThat(envValue(tunedRouter, "SIEVE_HTTP_MAX_BATCH_ITEMS")).isEqualTo("32");
  }
}
