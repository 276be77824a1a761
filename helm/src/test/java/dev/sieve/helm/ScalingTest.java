package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One CPU-driven HPA and one PodDisruptionBudget per component, bound to the right pods. */
class ScalingTest {

  static Stream<Arguments> renders() {
    return Renders.standard().entrySet().stream()
        .map(e -> Arguments.of(Named.of(e.getKey(), e.getValue())));
  }

  @ParameterizedTest
  @MethodSource("renders")
  void everyDeploymentHasOneCpuAutoscaler(Manifests render) {
    for (JsonNode deployment : render.ofKind("Deployment")) {
      String name = Manifests.name(deployment);
      List<JsonNode> hpas =
          render.ofKind("HorizontalPodAutoscaler").stream()
              .filter(h -> name.equals(h.path("spec").path("scaleTargetRef").path("name").asText()))
              .toList();
      assertThat(hpas).as("HPA for %s", name).hasSize(1);
      JsonNode hpa = hpas.get(0);
      assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
      JsonNode spec = hpa.path("spec");
      assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
      assertThat(spec.path("minReplicas").asInt())
          .isPositive()
          .isLessThanOrEqualTo(spec.path("maxReplicas").asInt());
      JsonNode metric = spec.path("metrics").get(0);
      assertThat(metric.path("resource").path("name").asText()).isEqualTo("cpu");
      assertThat(metric.path("resource").path("target").path("type").asText())
          .isEqualTo("Utilization");
      assertThat(metric.path("resource").path("target").path("averageUtilization").asInt())
          .isBetween(1, 100);
      // The HPA owns the replica count: a fixed one would be reset on every helm upgrade.
      assertThat(deployment.path("spec").has("replicas")).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void everyDeploymentHasADisruptionBudget(Manifests render) {
    for (JsonNode deployment : render.ofKind("Deployment")) {
      List<JsonNode> pdbs =
          render.ofKind("PodDisruptionBudget").stream()
              .filter(
                  p ->
                      Manifests.selects(
                          p.path("spec").path("selector").path("matchLabels"),
                          Manifests.podLabels(deployment)))
              .toList();
      assertThat(pdbs).as("PDB for %s", Manifests.name(deployment)).hasSize(1);
      JsonNode spec = pdbs.get(0).path("spec");
      assertThat(pdbs.get(0).path("apiVersion").asText()).isEqualTo("policy/v1");
      assertThat(spec.has("maxUnavailable") ^ spec.has("minAvailable")).isTrue();
    }
  }

  @Test
  void productionScalesFurtherThanTheDefaults() {
    for (Component component : Renders.COMPONENTS) {
      JsonNode defaults =
          Renders.defaults().get("HorizontalPodAutoscaler", component.deployment()).path("spec");
      JsonNode production =
          Renders.production().get("HorizontalPodAutoscaler", component.deployment()).path("spec");
      assertThat(production.path("maxReplicas").asInt())
          .as(component.name())
          .isGreaterThan(defaults.path("maxReplicas").asInt());
      assertThat(production.path("minReplicas").asInt())
          .as(component.name())
          .isGreaterThan(defaults.path("minReplicas").asInt());
    }
  }

  @Test
  void withoutAutoscalingTheReplicaCountIsFixed() {
    Manifests render =
        Helm.render("--set", "router.autoscaling.enabled=false", "--set", "router.replicaCount=3");

    assertThat(render.get("Deployment", "sieve-router").path("spec").path("replicas").asInt())
        .isEqualTo(3);
    assertThat(render.find("HorizontalPodAutoscaler", "sieve-router")).isEmpty();
    assertThat(render.find("HorizontalPodAutoscaler", "sieve-url-service")).isPresent();
  }

  @Test
  void minAvailableReplacesMaxUnavailable() {
    JsonNode spec =
        Helm.render("--set", "urlService.pdb.minAvailable=50%")
            .get("PodDisruptionBudget", "sieve-url-service")
            .path("spec");

    assertThat(spec.path("minAvailable").asText()).isEqualTo("50%");
    assertThat(spec.has("maxUnavailable")).isFalse();
  }
}
