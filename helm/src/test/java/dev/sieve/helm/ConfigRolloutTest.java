package dev.sieve.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.helm.Renders.Component;
import dev.sieve.router.policy.Policy;
import dev.sieve.router.policy.PolicyParser;
import dev.sieve.router.policy.PolicyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config files reach the pods and a change rolls exactly the pods that read the changed file: the
 * checksum/config annotation is a hash of the ConfigMaps a component mounts.
 */
class ConfigRolloutTest {

  @Test
  void policyChangeRollsOnlyTheRouter() {
    Map<String, String> before = checksums(Renders.defaults());
    Manifests changed = Helm.render("--set", "config.policy.version=2");
    Map<String, String> after = checksums(changed);

    assertThat(after.get("router")).isNotEqualTo(before.get("router"));
    for (Component tier : Renders.TIERS) {
      assertThat(after.get(tier.name())).as(tier.name()).isEqualTo(before.get(tier.name()));
    }
    JsonNode policy =
        parse(changed.get("ConfigMap", "sieve-policy").path("data").path("policy.yaml").asText());
    assertThat(policy.path("version").asInt()).isEqualTo(2);
  }

  @Test
  void taxonomyChangeRollsEveryComponent() {
    Map<String, String> before = checksums(Renders.defaults());
    Map<String, String> after = checksums(Helm.render("--set", "config.taxonomy.version=v2"));

    for (Component component : Renders.COMPONENTS) {
      assertThat(after.get(component.name()))
          .as(component.name())
          .isNotEqualTo(before.get(component.name()));
    }
  }

  @Test
  void emergingCategoriesChangeRollsTheRouterAndTheLlmTier() {
    Map<String, String> before = checksums(Renders.defaults());
    Map<String, String> after =
        checksums(Helm.render("--set", "config.emergingCategories.version=7"));

    assertThat(after.get("router")).isNotEqualTo(before.get("router"));
    assertThat(after.get("llm-fallback-service")).isNotEqualTo(before.get("llm-fallback-service"));
    assertThat(after.get("url-service")).isEqualTo(before.get("url-service"));
    assertThat(after.get("content-service")).isEqualTo(before.get("content-service"));
  }

  @Test
  void sameValuesGiveTheSameChecksums() {
    assertThat(checksums(Helm.render())).isEqualTo(checksums(Renders.defaults()));
  }

  @Test
  void policyFileReplacesTheDefaultPolicyVerbatim(@TempDir Path dir) throws IOException {
    String policy =
        "id: district-42\nversion: \"2025-09-01\"\ncategories:\n  games: {action: BLOCK}\n";
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policy);

    Manifests render = Helm.render("--set-file", "config.files.policy=" + file);

    String mounted =
        render.get("ConfigMap", "sieve-policy").path("data").path("policy.yaml").asText();
    assertThat(mounted).isEqualTo(policy);
    assertThat(checksums(render).get("router"))
        .isNotEqualTo(checksums(Renders.defaults()).get("router"));
  }

  @Test
  void defaultConfigFilesAreValidAndCarryTaxonomyV1() {
    Manifests render = Renders.defaults();
    JsonNode taxonomy =
        parse(
            render.get("ConfigMap", "sieve-taxonomy").path("data").path("taxonomy.yaml").asText());
    JsonNode policy =
        parse(render.get("ConfigMap", "sieve-policy").path("data").path("policy.yaml").asText());
    JsonNode emerging =
        parse(
            render
                .get("ConfigMap", "sieve-emerging-categories")
                .path("data")
                .path("emerging-categories.yaml")
                .asText());

    assertThat(DeploymentContractTest.texts(taxonomy.path("categories")))
        .isEqualTo(Renders.TAXONOMY_V1);
    assertThat(policy.path("id").asText()).isEqualTo("k12-default");
    assertThat(emerging.path("categories").isArray()).isTrue();
  }

  /** The rendered default policy must load in the router itself, not only parse as YAML. */
  @Test
  void defaultPolicyLoadsWithTheRoutersParser() throws Exception {
    String yaml =
        Renders.defaults()
            .get("ConfigMap", "sieve-policy")
            .path("data")
            .path("policy.yaml")
            .asText();
    Policy policy = PolicyParser.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(policy).isNotNull();
  }

  /**
   * The chart must deploy the policy the released fleet card measured: before, its own copy kept
   * {@code block_on_alert: true} and an llm band after the embedded default had dropped both, so a
   * Helm install blocked crisis-help pages that {@code ./sieve up} allowed.
   */
  @Test
  void theChartsDefaultPolicyDecidesExactlyLikeTheRoutersEmbeddedDefault() throws Exception {
    String yaml =
        Renders.defaults()
            .get("ConfigMap", "sieve-policy")
            .path("data")
            .path("policy.yaml")
            .asText();
    var chart = PolicyParser.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    var embedded = PolicyStore.loadEmbeddedDefault();
    assertThat(chart.id()).isEqualTo(embedded.id());
    assertThat(chart.global())
        .usingRecursiveComparison()
        .ignoringFields("tenantId")
        .isEqualTo(embedded.global());
    assertThat(chart.tenants()).isEqualTo(embedded.tenants());
  }

  static Map<String, String> checksums(Manifests render) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode deployment : render.ofKind("Deployment")) {
      out.put(
          Manifests.podLabels(deployment).path("app.kubernetes.io/component").asText(),
          Manifests.podAnnotations(deployment).path("checksum/config").asText());
    }
    assertThat(out).hasSize(render.ofKind("Deployment").size());
    assertThat(out.values()).allMatch(v -> v.matches("[0-9a-f]{64}"));
    return out;
  }

  private static JsonNode parse(String yaml) {
    try {
      return Manifests.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new AssertionError("config file is not valid YAML:\n" + yaml, e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
