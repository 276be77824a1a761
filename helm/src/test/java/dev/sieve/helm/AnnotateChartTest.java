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
 * The optional annotation app (issue #14, docs/annotation.md): absent by default; enabled, a
 * Deployment with the web and Feedback gRPC ports, SQLite on a volume claim (one replica, recreated
 * not rolled) or PostgreSQL from a Secret; the router may reach its gRPC port and only the router
 * may, the web port only from the configured clients.
 */
class AnnotateChartTest {

  @Test
  void offByDefault() {
    Manifests render = Renders.defaults();
    for (String kind : List.of("Deployment", "Service", "NetworkPolicy", "PersistentVolumeClaim")) {
      assertThat(render.ofKind(kind)).noneMatch(doc -> "annotate".equals(Manifests.component(doc)));
    }
  }

  @Test
  void enabledWithSqliteItIsOneRecreatedPodOnAVolumeClaim() {
    Manifests render = Helm.render("--set", "annotate.enabled=true");
    JsonNode deployment = render.get("Deployment", "sieve-annotate");
    JsonNode app = container(deployment);
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(deployment.path("spec").path("strategy").path("type").asText())
        .isEqualTo("Recreate");
    assertThat(containerPort(app, "http")).isEqualTo(8470);
    assertThat(containerPort(app, "grpc")).isEqualTo(50070);
    assertThat(envValue(app, "SIEVE_ANNOTATE_DB_FILE"))
        .isEqualTo("/var/lib/sieve-annotate/annotate.db");
    assertThat(env(app)).doesNotContainKey("SIEVE_DB_URL");
    assertThat(envValue(app, "SIEVE_ANNOTATE_SECURE_COOKIES")).isEqualTo("true");
    assertThat(app.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(app.path("image").asText()).contains("/sieve-annotate:");
    assertThat(app.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
    JsonNode pvc = render.get("PersistentVolumeClaim", "sieve-annotate");
    assertThat(pvc.path("spec").path("resources").path("requests").path("storage").asText())
        .isEqualTo("2Gi");
    List<String> claims = new ArrayList<>();
    deployment
        .path("spec")
        .path("template")
        .path("spec")
        .path("volumes")
        .forEach(v -> claims.add(v.path("persistentVolumeClaim").path("claimName").asText()));
    assertThat(claims).contains("sieve-annotate");
    JsonNode service = render.get("Service", "sieve-annotate");
    List<String> ports = new ArrayList<>();
    service
        .path("spec")
        .path("ports")
        .forEach(p -> ports.add(p.path("name").asText() + ":" + p.path("port").asInt()));
    assertThat(ports).containsExactly("http:8470", "grpc:50070");
  }

  @Test
  void withPostgresTheUrlComesFromASecretAndReplicasMayScale() {
    Manifests render =
        Helm.render(
            "--set",
            "annotate.enabled=true",
            "--set",
            "annotate.replicaCount=2",
            "--set",
            "annotate.database.urlSecret.name=annotate-db");
    JsonNode app = container(render.get("Deployment", "sieve-annotate"));
    assertThat(
            env(app)
                .get("SIEVE_DB_URL")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("name")
                .asText())
        .isEqualTo("annotate-db");
    assertThat(env(app)).doesNotContainKey("SIEVE_ANNOTATE_DB_FILE");
    assertThat(render.ofKind("PersistentVolumeClaim"))
        .noneMatch(doc -> "annotate".equals(Manifests.component(doc)));
  }

  @Test
  void sqliteWithTwoReplicasIsRefusedWithTheReason() {
    Helm.Result r =
        Helm.template(
            Helm.RELEASE,
            List.of("--set", "annotate.enabled=true", "--set", "annotate.replicaCount=2"));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.stderr()).contains("annotate.replicaCount > 1 needs PostgreSQL");
  }

  @Test
  void onlyTheRouterReachesTheFeedbackPortAndTheRouterMayReachIt() {
    Manifests render =
        Helm.render("--set", "annotate.enabled=true", "--set", "networkPolicy.egress.enabled=true");
    JsonNode policy = render.get("NetworkPolicy", "sieve-annotate");
    JsonNode ingress = policy.path("spec").path("ingress");
    assertThat(ingress).hasSize(2);
    assertThat(ingress.get(0).path("ports").get(0).path("port").asText()).isEqualTo("http");
    assertThat(ingress.get(0).path("from").get(0).path("namespaceSelector").isMissingNode())
        .isFalse();
    assertThat(ingress.get(1).path("ports").get(0).path("port").asText()).isEqualTo("grpc");
    assertThat(
            ingress
                .get(1)
                .path("from")
                .get(0)
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/component")
                .asText())
        .isEqualTo("router");
    List<String> routerEgress = new ArrayList<>();
    render
        .get("NetworkPolicy", "sieve-router")
        .path("spec")
        .path("egress")
        .forEach(
            rule ->
                rule.path("to")
                    .forEach(
                        peer ->
                            routerEgress.add(
                                peer.path("podSelector")
                                        .path("matchLabels")
                                        .path("app.kubernetes.io/component")
                                        .asText()
                                    + ":"
                                    + rule.path("ports").get(0).path("port").asText())));
    assertThat(routerEgress).contains("annotate:50070");
  }

  @Test
  void theRouterSendsReportsToTheAppAndSpoolsThemOnItsTmpOnlyWhenTheAppIsDeployed() {
    assertThat(env(container(Renders.defaults().get("Deployment", "sieve-router"))))
        .doesNotContainKey("SIEVE_FEEDBACK_ADDR");
    JsonNode router =
        container(Helm.render("--set", "annotate.enabled=true").get("Deployment", "sieve-router"));
    assertThat(envValue(router, "SIEVE_FEEDBACK_ADDR")).isEqualTo("dns:///sieve-annotate:50070");
    assertThat(envValue(router, "SIEVE_FEEDBACK_SPOOL")).startsWith("/tmp/");
  }
}
