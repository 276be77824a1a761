package dev.sieve.helm;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents of one {@code helm template} output, parsed, with the look-ups the chart tests
 * need. Assertions work on the parsed objects, never on the text, so that formatting changes in the
 * templates cannot hide or fake a result.
 */
final class Manifests {

  static final YAMLMapper YAML = new YAMLMapper();

  private final List<JsonNode> documents;

  private Manifests(List<JsonNode> documents) {
    this.documents = List.copyOf(documents);
  }

  static Manifests parse(String multiDocumentYaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        YAML.readerFor(JsonNode.class).readValues(multiDocumentYaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("rendered chart is not valid YAML", e);
    }
    return new Manifests(docs);
  }

  List<JsonNode> all() {
    return documents;
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(d -> name.equals(name(d))).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseGet(() -> fail("no " + kind + " named " + name + " rendered; have " + names(kind)));
  }

  List<String> names(String kind) {
    return ofKind(kind).stream().map(Manifests::name).toList();
  }

  /**
   * The Deployment whose pod template the given label selector selects; fails unless exactly one.
   */
  JsonNode deploymentSelectedBy(JsonNode matchLabels) {
    List<JsonNode> selected =
        ofKind("Deployment").stream().filter(d -> selects(matchLabels, podLabels(d))).toList();
    if (selected.size() != 1) {
      fail(
          "selector "
              + matchLabels
              + " selects "
              + selected.size()
              + " Deployments, expected exactly 1");
    }
    return selected.get(0);
  }

  static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText();
  }

  /** Component label (app.kubernetes.io/component) of a resource. */
  static String component(JsonNode doc) {
    return doc.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
  }

  static JsonNode podSpec(JsonNode deployment) {
    return deployment.path("spec").path("template").path("spec");
  }

  static JsonNode podLabels(JsonNode deployment) {
    return deployment.path("spec").path("template").path("metadata").path("labels");
  }

  static JsonNode podAnnotations(JsonNode deployment) {
    return deployment.path("spec").path("template").path("metadata").path("annotations");
  }

  /** The single container of a Sieve pod. */
  static JsonNode container(JsonNode deployment) {
    JsonNode containers = podSpec(deployment).path("containers");
    if (containers.size() != 1) {
      fail(name(deployment) + " has " + containers.size() + " containers, expected 1");
    }
    return containers.get(0);
  }

  /** Container port number by port name. */
  static int containerPort(JsonNode container, String portName) {
    for (JsonNode port : container.path("ports")) {
      if (portName.equals(port.path("name").asText())) {
        return port.path("containerPort").asInt();
      }
    }
    return fail("container " + container.path("name").asText() + " has no port named " + portName);
  }

  /** Environment variables by name (value nodes: {value: ...} or {valueFrom: ...}). */
  static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new HashMap<>();
    for (JsonNode var : container.path("env")) {
      JsonNode previous = env.put(var.path("name").asText(), var);
      if (previous != null) {
        fail("environment variable " + var.path("name").asText() + " is set twice");
      }
    }
    return env;
  }

  static String envValue(JsonNode container, String name) {
    JsonNode var = env(container).get(name);
    if (var == null || !var.has("value")) {
      fail(container.path("name").asText() + " has no literal env " + name);
    }
    return var.path("value").asText();
  }

  /** True when every label in matchLabels is present with the same value in labels. */
  static boolean selects(JsonNode matchLabels, JsonNode labels) {
    if (matchLabels == null || !matchLabels.isObject() || matchLabels.isEmpty()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = matchLabels.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
