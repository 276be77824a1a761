package dev.sieve.helm;

import static dev.sieve.helm.Manifests.container;
import static dev.sieve.helm.Manifests.containerPort;
import static dev.sieve.helm.Manifests.env;
import static dev.sieve.helm.Manifests.envValue;
import static dev.sieve.helm.Manifests.podAnnotations;
import static dev.sieve.helm.Manifests.podLabels;
import static dev.sieve.helm.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every Deployment must get right, checked on the default and the production render: gRPC
 * health probes on the gRPC port, bounded resources, the restrictive security context with the
 * writable scratch volumes the native libraries need, consistent selectors, config mounts and the
 * shutdown budget.
 */
class DeploymentContractTest {

  static Stream<Arguments> deployments() {
    List<Arguments> cases = new ArrayList<>();
    for (Map.Entry<String, Manifests> render : Renders.standard().entrySet()) {
      for (Component component : Renders.COMPONENTS) {
        JsonNode deployment = render.getValue().get("Deployment", component.deployment());
        cases.add(
            Arguments.of(
                Named.of(component.name() + " (" + render.getKey() + ")", deployment),
                component,
                render.getValue()));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void servesGrpcAndMetricsOnTheAgreedPorts(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);

    assertThat(containerPort(container, "grpc")).isEqualTo(component.grpcPort());
    assertThat(containerPort(container, "metrics")).isEqualTo(component.metricsPort());
    assertThat(envValue(container, "SIEVE_GRPC_PORT"))
        .isEqualTo(String.valueOf(component.grpcPort()));
    assertThat(envValue(container, "SIEVE_METRICS_PORT"))
        .isEqualTo(String.valueOf(component.metricsPort()));
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void probesGrpcHealthOnThePlaintextHealthPortBecauseTheGrpcPortSpeaksTls(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);

    // Kubelet gRPC probes cannot speak TLS: they use the health-only port the service opens.
    assertThat(containerPort(container, "health")).isEqualTo(component.healthPort());
    assertThat(envValue(container, "SIEVE_HEALTH_PORT"))
        .isEqualTo(String.valueOf(component.healthPort()));
    assertThat(envValue(container, "SIEVE_TLS")).isEqualTo("on");
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode node = container.path(probe);
      assertThat(node.isObject()).as("%s present", probe).isTrue();
      assertThat(node.path("grpc").path("port").asInt())
          .as("%s grpc port", probe)
          .isEqualTo(component.healthPort());
      assertThat(node.has("httpGet") || node.has("tcpSocket") || node.has("exec"))
          .as("%s uses only the gRPC health check", probe)
          .isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void withoutTlsProbesUseTheGrpcPort(JsonNode ignored, Component component, Manifests all) {
    JsonNode container = container(Renders.plaintext().get("Deployment", component.deployment()));

    assertThat(envValue(container, "SIEVE_TLS")).isEqualTo("off");
    assertThat(env(container)).doesNotContainKey("SIEVE_HEALTH_PORT");
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(container.path(probe).path("grpc").path("port").asInt())
          .isEqualTo(component.grpcPort());
    }
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void modelTiersGetAGenerousStartupWindow(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode startup = container(deployment).path("startupProbe");
    int windowSeconds =
        startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt();

    // Readiness comes only after models load and warm up; the content and LLM tiers load encoders.
    int minimum = component == Renders.CONTENT || component == Renders.LLM ? 120 : 30;
    assertThat(windowSeconds).isGreaterThanOrEqualTo(minimum);
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void requestsAndLimitsCpuAndMemory(JsonNode deployment, Component component, Manifests all) {
    JsonNode resources = container(deployment).path("resources");

    for (String bound : List.of("requests", "limits")) {
      for (String resource : List.of("cpu", "memory")) {
        assertThat(resources.path(bound).path(resource).asText(""))
            .as("%s.%s", bound, resource)
            .isNotBlank();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void runsWithTheRestrictiveSecurityContext(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode pod = podSpec(deployment).path("securityContext");
    JsonNode container = container(deployment).path("securityContext");

    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");

    assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("runAsUser").asInt()).isEqualTo(10001);
    assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.path("privileged").asBoolean(false)).isFalse();
    assertThat(texts(container.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(container.path("capabilities").has("add")).isFalse();
    assertThat(container.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");

    assertThat(podSpec(deployment).path("automountServiceAccountToken").asBoolean(true)).isFalse();
    String serviceAccount = podSpec(deployment).path("serviceAccountName").asText();
    assertThat(all.names("ServiceAccount")).contains(serviceAccount);
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void nativeLibrariesHaveWritableScratchSpace(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);
    String djlCacheDir = envValue(container, "DJL_CACHE_DIR");

    assertThat(djlCacheDir).isEqualTo("/var/cache/djl");
    assertThat(emptyDirMountedAt(deployment, "/tmp")).as("emptyDir at /tmp").isTrue();
    assertThat(emptyDirMountedAt(deployment, djlCacheDir)).as("emptyDir at DJL_CACHE_DIR").isTrue();
    assertThat(envValue(container, "JDK_JAVA_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void selectorMatchesThePodTemplate(JsonNode deployment, Component component, Manifests all) {
    JsonNode matchLabels = deployment.path("spec").path("selector").path("matchLabels");

    assertThat(matchLabels.path("app.kubernetes.io/component").asText())
        .isEqualTo(component.name());
    assertThat(Manifests.selects(matchLabels, podLabels(deployment))).isTrue();
    // No other Deployment's pods match: selectors of the components do not overlap.
    assertThat(all.deploymentSelectedBy(matchLabels)).isSameAs(deployment);
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void mountsItsConfigFilesWithAChecksum(JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);
    Set<String> configEnv =
        Set.of("SIEVE_POLICY_FILE", "SIEVE_TAXONOMY_FILE", "SIEVE_EMERGING_CATEGORIES_FILE");
    Set<String> mountedFiles = projectedConfigFiles(deployment, all);
    String configDir = mountPath(container, "config");

    int checked = 0;
    for (String name : configEnv) {
      if (env(container).containsKey(name)) {
        String path = envValue(container, name);
        assertThat(path).startsWith(configDir + "/");
        assertThat(mountedFiles).contains(path.substring(configDir.length() + 1));
        checked++;
      }
    }
    assertThat(env(container)).containsKey("SIEVE_TAXONOMY_FILE");
    if (component == Renders.ROUTER) {
      assertThat(env(container))
          .containsKeys("SIEVE_POLICY_FILE", "SIEVE_EMERGING_CATEGORIES_FILE");
    }
    assertThat(checked).isEqualTo(mountedFiles.size());
    assertThat(podAnnotations(deployment).path("checksum/config").asText()).matches("[0-9a-f]{64}");
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void drainsWithinTheTerminationGracePeriod(
      JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);
    int grace = podSpec(deployment).path("terminationGracePeriodSeconds").asInt();
    int drain = Integer.parseInt(envValue(container, "SIEVE_DRAIN_TIMEOUT_SECONDS"));
    JsonNode preStop = container.path("lifecycle").path("preStop").path("exec").path("command");

    assertThat(texts(preStop)).hasSize(2).first().isEqualTo("sleep");
    int sleep = Integer.parseInt(preStop.get(1).asText());
    assertThat(sleep).isPositive();
    assertThat(grace).isGreaterThan(sleep + drain);
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void exportsTelemetrySettings(JsonNode deployment, Component component, Manifests all) {
    JsonNode container = container(deployment);

    assertThat(envValue(container, "OTEL_SERVICE_NAME")).isEqualTo("sieve-" + component.name());
    assertThat(envValue(container, "OTEL_TRACES_EXPORTER")).isIn("none", "otlp");
    if (envValue(container, "OTEL_TRACES_EXPORTER").equals("otlp")) {
      assertThat(envValue(container, "OTEL_EXPORTER_OTLP_ENDPOINT")).startsWith("http");
    }
    assertThat(envValue(container, "OTEL_RESOURCE_ATTRIBUTES"))
        .contains("k8s.pod.name=$(POD_NAME)");
    assertThat(container.path("image").asText())
        .isEqualTo("ghcr.io/sieve-dev/sieve-" + component.name() + ":0.1.0");
  }

  private static boolean emptyDirMountedAt(JsonNode deployment, String path) {
    JsonNode container = container(deployment);
    for (JsonNode mount : container.path("volumeMounts")) {
      if (path.equals(mount.path("mountPath").asText())
          && !mount.path("readOnly").asBoolean(false)) {
        String volume = mount.path("name").asText();
        for (JsonNode v : podSpec(deployment).path("volumes")) {
          if (volume.equals(v.path("name").asText()) && v.has("emptyDir")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String mountPath(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (volume.equals(mount.path("name").asText())) {
        assertThat(mount.path("readOnly").asBoolean()).as("config mounted read-only").isTrue();
        return mount.path("mountPath").asText();
      }
    }
    throw new AssertionError("no mount of volume " + volume);
  }

  /** File names that the projected "config" volume provides, from ConfigMaps that exist. */
  private static Set<String> projectedConfigFiles(JsonNode deployment, Manifests all) {
    Set<String> files = new HashSet<>();
    for (JsonNode v : podSpec(deployment).path("volumes")) {
      if (!"config".equals(v.path("name").asText())) {
        continue;
      }
      for (JsonNode source : v.path("projected").path("sources")) {
        JsonNode configMap = all.get("ConfigMap", source.path("configMap").path("name").asText());
        configMap.path("data").fieldNames().forEachRemaining(files::add);
      }
    }
    return files;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
