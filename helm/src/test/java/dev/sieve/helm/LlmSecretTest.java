package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.env;
import static dev.sieve.helm.Manifests.envValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The LLM endpoint key reaches only the llm-fallback-service, always through a Secret (the chart's
 * or the operator's), never as a literal in the pod spec.
 */
class LlmSecretTest {

  @Test
  void withoutAKeyNoSecretAndNoKeyVariable() {
    Manifests render = Renders.defaults();
    JsonNode llm = container(render.get("Deployment", "sieve-llm-fallback-service"));

    assertThat(render.ofKind("Secret")).isEmpty();
    assertThat(env(llm))
        .doesNotContainKey("SIEVE_LLM_API_KEY")
        .containsKeys("SIEVE_LLM_URL", "SIEVE_LLM_MODEL");
  }

  @Test
  void apiKeyIsStoredInTheChartSecretAndReferenced() {
    Manifests render =
        Helm.render(
            "--set", "llm.apiKey=s3cr3t-key",
            "--set", "llm.url=https://vllm.llm.svc/v1",
            "--set", "llm.model=qwen",
            "--set", "networkPolicy.egress.llm[0].ipBlock.cidr=10.20.0.0/16");
    JsonNode llm = container(render.get("Deployment", "sieve-llm-fallback-service"));
    JsonNode ref = env(llm).get("SIEVE_LLM_API_KEY").path("valueFrom").path("secretKeyRef");
    JsonNode secret = render.get("Secret", ref.path("name").asText());

    String stored = secret.path("data").path(ref.path("key").asText()).asText();
    assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8))
        .isEqualTo("s3cr3t-key");
    assertThat(env(llm).get("SIEVE_LLM_API_KEY").has("value")).isFalse();
    assertThat(envValue(llm, "SIEVE_LLM_URL")).isEqualTo("https://vllm.llm.svc/v1");
    assertThat(envValue(llm, "SIEVE_LLM_MODEL")).isEqualTo("qwen");
    for (JsonNode deployment : render.ofKind("Deployment")) {
      if (!"llm-fallback-service".equals(Manifests.component(deployment))) {
        assertThat(env(container(deployment))).doesNotContainKey("SIEVE_LLM_API_KEY");
      }
    }
  }

  @Test
  void rotatingTheChartKeyRollsTheLlmPods() {
    String before = secretChecksum(Helm.render("--set", "llm.apiKey=first"));
    String after = secretChecksum(Helm.render("--set", "llm.apiKey=second"));

    assertThat(before).matches("[0-9a-f]{64}");
    assertThat(after).matches("[0-9a-f]{64}").isNotEqualTo(before);
  }

  @Test
  void existingSecretIsReferencedAndNoSecretIsRendered() {
    Manifests render = Renders.production();
    JsonNode llm = container(render.get("Deployment", "sieve-llm-fallback-service"));
    JsonNode ref = env(llm).get("SIEVE_LLM_API_KEY").path("valueFrom").path("secretKeyRef");

    assertThat(render.ofKind("Secret")).isEmpty();
    assertThat(ref.path("name").asText()).isEqualTo("sieve-llm-credentials");
    assertThat(ref.path("key").asText()).isEqualTo("api-key");
  }

  private static String secretChecksum(Manifests render) {
    return Manifests.podAnnotations(render.get("Deployment", "sieve-llm-fallback-service"))
        .path("checksum/secret")
        .asText();
  }
}
