package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid values fail the render with a message naming the problem, instead of producing manifests
 * that the cluster rejects later or, worse, accepts. values.schema.json covers single fields; the
 * chart's render-time checks cover rules that relate two fields.
 */
class ValuesValidationTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(List.of("--set", "router.replicaCount=-1"), "replicaCount"),
        Arguments.of(List.of("--set", "urlService.ports.grpc=70000"), "grpc"),
        Arguments.of(List.of("--set", "contentService.gpu.count=0"), "count"),
        Arguments.of(
            List.of("--set", "contentService.autoscaling.targetCPUUtilizationPercentage=150"),
            "targetCPUUtilizationPercentage"),
        Arguments.of(List.of("--set", "contentservice.gpu.enabled=true"), "contentservice"),
        Arguments.of(List.of("--set", "image.pullPolicy=Sometimes"), "pullPolicy"),
        Arguments.of(List.of("--set-string", "router.resources.limits.memory="), "memory"),
        Arguments.of(
            List.of(
                "--set",
                "urlService.autoscaling.minReplicas=8",
                "--set",
                "urlService.autoscaling.maxReplicas=4"),
            "minReplicas (8) must not exceed maxReplicas (4)"),
        Arguments.of(
            List.of("--set", "lifecycle.terminationGracePeriodSeconds=30"),
            "terminationGracePeriodSeconds (30) must exceed"),
        Arguments.of(
            List.of("--set", "llmFallbackService.lifecycle.drainTimeoutSeconds=90"),
            "llmFallbackService: terminationGracePeriodSeconds (75) must exceed"),
        Arguments.of(
            List.of("--set", "llm.apiKey=k", "--set", "llm.existingSecret=s"),
            "either llm.apiKey or llm.existingSecret"),
        Arguments.of(
            List.of("--set", "networkPolicy.routerClients=null"), "networkPolicy.routerClients"),
        Arguments.of(
            List.of(
                "--set",
                "llm.url=http://vllm.llm.svc:8000/v1",
                "--set",
                "llm.apiKey=k",
                "--set",
                "networkPolicy.egress.llm[0].ipBlock.cidr=10.0.0.0/8"),
            "is plaintext http and an API key is configured"),
        Arguments.of(
            List.of("--set", "llm.url=https://vllm.llm.svc/v1"),
            "networkPolicy.egress.llm must list"),
        Arguments.of(
            List.of(
                "--set",
                "llm.url=ftp://vllm.llm.svc/v1",
                "--set",
                "networkPolicy.egress.enabled=false"),
            "llm.url must be http(s)"),
        Arguments.of(List.of("--set", "clientAuth.mode=maybe"), "mode"),
        Arguments.of(List.of("--set", "clientAuth.tenants.a.api_keys[0]=plain-key"), "api_keys"),
        Arguments.of(
            List.of(
                "--set",
                "clientAuth.existingSecret=s",
                "--set",
                "clientAuth.tenants.a.certificate_identities[0]=x.example"),
            "either clientAuth.tenants or clientAuth.existingSecret"),
        Arguments.of(
            List.of(
                "--set",
                "tls.certManager.enabled=true",
                "--set",
                "tls.certManager.issuerRef.name="),
            "name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void renderFailsNamingTheProblem(List<String> args, String expectedMessage) {
    Helm.Result result = Helm.template(Helm.RELEASE, args);

    assertThat(result.exitCode())
        .as("helm template %s must fail; stdout:%n%s", args, result.stdout())
        .isNotZero();
    assertThat(result.stderr()).contains(expectedMessage);
  }
}
