package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.env;
import static dev.sieve.helm.Manifests.envValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The candidate version of a tier (#15; docs/operations.md, "Shadow and canary"): absent by
 * default; enabled, a Deployment "<tier service>-candidate" running the tier's image on the tier's
 * ports but serving candidate.modelDir, with its own headless Service (the router's target), PDB
 * and NetworkPolicy, never an HPA; the router gets SIEVE_CANDIDATE_* pointing at it. A candidate
 * without a model directory, or beside a disabled tier, fails the render.
 */
class CandidateChartTest {

  private static final String MODEL = "/app/models/content-minilm-mlp/20261125-8224cdad";

  @Test
  void offByDefault() {
    Manifests render = Renders.defaults();
    assertThat(render.names("Deployment")).noneMatch(name -> name.contains("candidate"));
    JsonNode router = container(render.get("Deployment", "sieve-router"));
    assertThat(env(router)).doesNotContainKey("SIEVE_CANDIDATE_TIER");
  }

  @Test
  void aShadowContentCandidateIsADeploymentBesideTheServingOne() {
    Manifests render =
        Helm.render(
            "--set",
            "candidate.enabled=true",
            "--set",
            "candidate.modelDir=" + MODEL,
            "--set",
            "candidate.sample=0.2",
            "--set",
            "candidate.logFile=/tmp/shadow.jsonl",
            "--set",
            "contentService.autoscaling.enabled=true");
    JsonNode candidate = render.get("Deployment", "sieve-content-service-candidate");
    JsonNode serving = render.get("Deployment", "sieve-content-service");
    JsonNode c = container(candidate);
    JsonNode s = container(serving);
    assertThat(c.path("image").asText()).isEqualTo(s.path("image").asText());
    assertThat(envValue(c, "SIEVE_CONTENT_MODEL_DIR")).isEqualTo(MODEL);
    assertThat(env(s)).doesNotContainKey("SIEVE_CONTENT_MODEL_DIR");
    assertThat(envValue(c, "SIEVE_GRPC_PORT")).isEqualTo(envValue(s, "SIEVE_GRPC_PORT"));
    assertThat(candidate.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(
            candidate
                .path("spec")
                .path("selector")
                .path("matchLabels")
                .path("app.kubernetes.io/component")
                .asText())
        .isEqualTo("content-service-candidate");
    // The serving Deployment's selector must not pick up candidate pods, nor the other way round.
    assertThat(
            Manifests.selects(
                serving.path("spec").path("selector").path("matchLabels"),
                Manifests.podLabels(candidate)))
        .isFalse();

    assertThat(render.names("Service")).contains("sieve-content-service-candidate-headless");
    assertThat(render.names("PodDisruptionBudget")).contains("sieve-content-service-candidate");
    assertThat(render.names("NetworkPolicy")).contains("sieve-content-service-candidate");
    assertThat(render.names("HorizontalPodAutoscaler"))
        .contains("sieve-content-service")
        .doesNotContain("sieve-content-service-candidate");

    JsonNode router = container(render.get("Deployment", "sieve-router"));
    assertThat(envValue(router, "SIEVE_CANDIDATE_TIER")).isEqualTo("content");
    assertThat(envValue(router, "SIEVE_CANDIDATE_TARGET"))
        .isEqualTo("dns:///sieve-content-service-candidate-headless:50053");
    assertThat(envValue(router, "SIEVE_CANDIDATE_MODE")).isEqualTo("shadow");
    assertThat(envValue(router, "SIEVE_CANDIDATE_SAMPLE")).isEqualTo("0.2");
    assertThat(envValue(router, "SIEVE_CANDIDATE_LOG_FILE")).isEqualTo("/tmp/shadow.jsonl");
    // The serving tier's target is unchanged.
    assertThat(envValue(router, "SIEVE_CONTENT_TIER_TARGET"))
        .isEqualTo("dns:///sieve-content-service-headless:50053");
  }

  @Test
  void aUrlCanaryServesItsModelDir() {
    Manifests render =
        Helm.render(
            "--set",
            "candidate.enabled=true",
            "--set",
            "candidate.tier=url",
            "--set",
            "candidate.modelDir=/app/models/url-lexical/v1-762b094c1355",
            "--set",
            "candidate.mode=canary",
            "--set",
            "candidate.share=0.1");
    JsonNode c = container(render.get("Deployment", "sieve-url-service-candidate"));
    assertThat(envValue(c, "SIEVE_URL_MODEL_DIR"))
        .isEqualTo("/app/models/url-lexical/v1-762b094c1355");
    JsonNode router = container(render.get("Deployment", "sieve-router"));
    assertThat(envValue(router, "SIEVE_CANDIDATE_MODE")).isEqualTo("canary");
    assertThat(envValue(router, "SIEVE_CANDIDATE_SHARE")).isEqualTo("0.1");
  }

  @Test
  void aCandidateWithoutItsModelDirOrServingTierFailsTheRender() {
    Helm.Result noDir = Helm.template(Helm.RELEASE, List.of("--set", "candidate.enabled=true"));
    assertThat(noDir.exitCode()).isNotZero();
    assertThat(noDir.stderr()).contains("candidate.modelDir is required");
    Helm.Result noTier =
        Helm.template(
            Helm.RELEASE,
            List.of(
                "--set",
                "candidate.enabled=true",
                "--set",
                "candidate.modelDir=/x",
                "--set",
                "candidate.tier=url",
                "--set",
                "urlService.enabled=false"));
    assertThat(noTier.exitCode()).isNotZero();
    assertThat(noTier.stderr()).contains("is not enabled");
    Helm.Result badMode =
        Helm.template(
            Helm.RELEASE,
            List.of(
                "--set",
                "candidate.enabled=true",
                "--set",
                "candidate.modelDir=/x",
                "--set",
                "candidate.mode=blue-green"));
    assertThat(badMode.exitCode()).isNotZero();
  }
}
