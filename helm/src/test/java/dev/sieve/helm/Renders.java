package dev.sieve.helm;

import java.util.List;
import java.util.Map;

/**
 * The renders most tests share, computed once per test JVM (each helm run costs a few hundred
 * milliseconds), and the expected facts about each component.
 */
final class Renders {

  /** A component of the fleet as the chart must deploy it. */
  record Component(String name, String tier, int grpcPort, int metricsPort, int healthPort) {
    String deployment() {
      return Helm.RELEASE + "-" + name;
    }
  }

  static final Component ROUTER = new Component("router", "", 50051, 9091, 8081);
  static final Component URL = new Component("url-service", "url", 50052, 9092, 8082);
  static final Component CONTENT = new Component("content-service", "content", 50053, 9093, 8083);
  static final Component LLM = new Component("llm-fallback-service", "llm", 50054, 9094, 8084);

  static final List<Component> COMPONENTS = List.of(ROUTER, URL, CONTENT, LLM);
  static final List<Component> TIERS = List.of(URL, CONTENT, LLM);

  /** Taxonomy v1, exactly as the project defines it. */
  static final List<String> TAXONOMY_V1 =
      List.of(
          "adult",
          "violence",
          "self_harm",
          "weapons",
          "drugs",
          "gambling",
          "hate",
          "dating",
          "social_media",
          "games",
          "streaming",
          "chat",
          "proxy_circumvention",
          "security_threat",
          "piracy",
          "shopping",
          "news",
          "education",
          "sports");

  /** Helm's maximum release name length: the worst case for resource name lengths. */
  static final String LONG_RELEASE = "a-very-long-release-name-for-the-k12-filtering-fleets";

  private static Manifests defaults;
  private static Manifests production;
  private static Manifests longRelease;
  private static Manifests plaintext;

  private Renders() {}

  static synchronized Manifests defaults() {
    if (defaults == null) {
      defaults = Helm.render();
    }
    return defaults;
  }

  static synchronized Manifests production() {
    if (production == null) {
      production = Helm.render("-f", Helm.productionValues().toString());
    }
    return production;
  }

  static synchronized Manifests longRelease() {
    if (longRelease == null) {
      longRelease = Helm.renderRelease(LONG_RELEASE, "-f", Helm.productionValues().toString());
    }
    return longRelease;
  }

  /** tls.enabled=false: plaintext chosen explicitly (development clusters). */
  static synchronized Manifests plaintext() {
    if (plaintext == null) {
      plaintext = Helm.render("--set", "tls.enabled=false");
    }
    return plaintext;
  }

  /** Named renders for parameterized tests. */
  static Map<String, Manifests> standard() {
    return Map.of("default values", defaults(), "ci/production-values.yaml", production());
  }

  static Component component(String name) {
    return COMPONENTS.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown component " + name));
  }
}
