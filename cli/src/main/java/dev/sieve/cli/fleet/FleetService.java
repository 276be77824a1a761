package dev.sieve.cli.fleet;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The processes a local fleet consists of, with the conventions the cli relies on (module dir, main
 * class, default ports, the router setting that points at the tier). Declared once here so up, down
 * and status agree.
 */
public enum FleetService {
  URL("url-service", "url", "dev.sieve.url.UrlServiceMain", 50052, 9092, "SIEVE_URL_TIER_TARGET"),
  CONTENT(
      "content-service",
      "content",
      "dev.sieve.content.ContentServiceMain",
      50053,
      9093,
      "SIEVE_CONTENT_TIER_TARGET"),
  LLM(
      "llm-fallback-service",
      "llm",
      "dev.sieve.llm.LlmFallbackServiceMain",
      50054,
      9094,
      "SIEVE_LLM_TIER_TARGET"),
  ROUTER("router", null, "dev.sieve.router.RouterMain", 50051, 9091, null);

  private final String serviceName;
  private final String tier;
  private final String mainClass;
  private final int defaultGrpcPort;
  private final int defaultMetricsPort;
  private final String routerTargetSetting;

  FleetService(
      String serviceName,
      String tier,
      String mainClass,
      int defaultGrpcPort,
      int defaultMetricsPort,
      String routerTargetSetting) {
    this.serviceName = serviceName;
    this.tier = tier;
    this.mainClass = mainClass;
    this.defaultGrpcPort = defaultGrpcPort;
    this.defaultMetricsPort = defaultMetricsPort;
    this.routerTargetSetting = routerTargetSetting;
  }

  /** Process name used for files ({@code .sieve/run/<name>.pid}) and the module directory. */
  public String serviceName() {
    return serviceName;
  }

  /** Module directory under the build root (same as the service name). */
  public String moduleDir() {
    return serviceName;
  }

  public String artifactId() {
    return "sieve-" + serviceName;
  }

  /** Tier name on the wire ("url", "content", "llm"); null for the router. */
  public String tier() {
    return tier;
  }

  public boolean isTier() {
    return tier != null;
  }

  public String mainClass() {
    return mainClass;
  }

  public int defaultGrpcPort() {
    return defaultGrpcPort;
  }

  public int defaultMetricsPort() {
    return defaultMetricsPort;
  }

  /** The router setting (env form) that points the router at this tier. */
  public String routerTargetSetting() {
    return routerTargetSetting;
  }

  /** The system property form of {@link #routerTargetSetting()}. */
  public String routerTargetProperty() {
    return routerTargetSetting.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** Tiers in wire order (url, content, llm). */
  public static List<FleetService> tiers() {
    return List.of(URL, CONTENT, LLM);
  }

  /** Start order: tiers first so the router finds them, router last. */
  public static List<FleetService> all() {
    return Arrays.asList(values());
  }

  public static Optional<FleetService> forTier(String tier) {
    return tiers().stream()
        .filter(s -> s.tier.equals(tier.strip().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
