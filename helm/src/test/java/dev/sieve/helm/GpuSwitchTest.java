package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.envValue;
import static dev.sieve.helm.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * contentService.gpu.enabled is the one switch between a CPU and a GPU content tier: it must add
 * the GPU limit, land the pods on GPU nodes and tell the service which device to use, and must
 * leave every other component (and the CPU default) without GPU resources.
 */
class GpuSwitchTest {

  @Test
  void defaultsRequestNoGpuAnywhere() {
    Manifests render = Renders.defaults();

    for (JsonNode deployment : render.ofKind("Deployment")) {
      assertThat(gpuLimit(deployment)).as(Manifests.name(deployment)).isNull();
      assertThat(podSpec(deployment).path("nodeSelector").toString())
          .doesNotContain("nvidia.com/gpu");
      assertThat(podSpec(deployment).path("tolerations").toString())
          .doesNotContain("nvidia.com/gpu");
    }
    assertThat(
            envValue(container(render.get("Deployment", "sieve-content-service")), "SIEVE_DEVICE"))
        .isEqualTo("cpu");
  }

  @Test
  void switchAddsGpuLimitNodeSelectorTolerationAndDevice() {
    assertGpuContentTier(Helm.render("--set", "contentService.gpu.enabled=true"));
  }

  @Test
  void productionProfileRunsTheContentTierOnGpu() {
    assertGpuContentTier(Renders.production());
  }

  @Test
  void gpuCountAndResourceNameAreConfigurable() {
    JsonNode content =
        Helm.render(
                "--set", "contentService.gpu.enabled=true",
                "--set", "contentService.gpu.count=2",
                "--set", "contentService.gpu.resourceName=amd.com/gpu")
            .get("Deployment", "sieve-content-service");

    assertThat(container(content).path("resources").path("limits").path("amd.com/gpu").asInt())
        .isEqualTo(2);
  }

  private static void assertGpuContentTier(Manifests render) {
    JsonNode content = render.get("Deployment", "sieve-content-service");
    JsonNode limits = container(content).path("resources").path("limits");

    assertThat(gpuLimit(content)).isEqualTo(1);
    assertThat(limits.path("cpu").asText()).isNotBlank();
    assertThat(limits.path("memory").asText()).isNotBlank();
    assertThat(envValue(container(content), "SIEVE_DEVICE")).isEqualTo("gpu");
    assertThat(podSpec(content).path("nodeSelector").path("nvidia.com/gpu.present").asText())
        .isEqualTo("true");
    boolean tolerated = false;
    for (JsonNode toleration : podSpec(content).path("tolerations")) {
      tolerated |= "nvidia.com/gpu".equals(toleration.path("key").asText());
    }
    assertThat(tolerated).isTrue();

    for (JsonNode deployment : render.ofKind("Deployment")) {
      if (deployment != content) {
        assertThat(gpuLimit(deployment)).as(Manifests.name(deployment)).isNull();
        assertThat(Manifests.env(container(deployment))).doesNotContainKey("SIEVE_DEVICE");
      }
    }
  }

  private static Integer gpuLimit(JsonNode deployment) {
    JsonNode resources = container(deployment).path("resources");
    JsonNode limit = resources.path("limits").path("nvidia.com/gpu");
    assertThat(resources.path("requests").has("nvidia.com/gpu") && !limit.isMissingNode())
        .as("GPU only as a limit (Kubernetes sets the request to the limit)")
        .isFalse();
    return limit.isMissingNode() ? null : limit.asInt();
  }
}
