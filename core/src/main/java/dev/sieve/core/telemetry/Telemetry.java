package dev.sieve.core.telemetry;

import dev.sieve.proto.v1.ModelInfo;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;

/**
 * Traces and metrics for one Sieve process, configured the way operators expect.
 *
 * <p>Tracing uses the OpenTelemetry SDK autoconfigured from the standard {@code OTEL_*} environment
 * variables (so an SRE points every service at a collector with {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * and {@code OTEL_TRACES_EXPORTER=otlp}); with nothing set, exporters are off so {@code ./sieve up}
 * needs no collector. gRPC spans come from OTel's grpc-1.6 instrumentation, which propagates W3C
 * trace context across every hop. Metrics use a Micrometer Prometheus registry scraped at {@code
 * /metrics} on the service's metrics port.
 */
public final class Telemetry implements AutoCloseable {

  private final String serviceName;
  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final PrometheusMeterRegistry registry;
  private final GrpcTelemetry grpcTelemetry;
  private MetricsHttpServer metricsServer;

  private Telemetry(String serviceName, OpenTelemetry openTelemetry, OpenTelemetrySdk sdk, PrometheusMeterRegistry registry) {
    this.serviceName = serviceName;
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.registry = registry;
    this.grpcTelemetry = GrpcTelemetry.create(openTelemetry);
  }

  /**
   * Telemetry from the environment: {@code OTEL_*} variables (or {@code -Dotel.*} properties) win;
   * defaults are service.name = {@code serviceName} and all OTel exporters off.
   */
  public static Telemetry create(String serviceName) {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", serviceName);
    defaults.put("otel.traces.exporter", "none");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    PrometheusMeterRegistry registry = newRegistry(serviceName);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    return new Telemetry(serviceName, sdk, sdk, registry);
  }

  /** Telemetry over a given OpenTelemetry (tests use an in-memory exporter). */
  public static Telemetry of(String serviceName, OpenTelemetry openTelemetry) {
    return new Telemetry(serviceName, openTelemetry, null, newRegistry(serviceName));
  }

  /** Common tags must be set before any meter is registered, or Micrometer ignores them. */
  private static PrometheusMeterRegistry newRegistry(String serviceName) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", serviceName);
    return registry;
  }

  public String serviceName() {
    return serviceName;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * Server interceptors in the order to register them: tracing (outermost, so the span covers
   * everything), trace ids into the logging MDC, then request metrics.
   */
  public ServerInterceptor[] serverInterceptors() {
    return new ServerInterceptor[] {
      grpcTelemetry.createServerInterceptor(),
      new MdcTraceInterceptor(),
      new GrpcMetricsInterceptor(registry)
    };
  }

  /** Client interceptor that starts a child span per outgoing call and injects W3C context. */
  public ClientInterceptor clientInterceptor() {
    return grpcTelemetry.createClientInterceptor();
  }

  /**
   * Publishes {@code sieve_model_info{tier,model,version,dataset_version} 1}, so dashboards and the
   * drift job know which model produced the scores they see.
   */
  public void registerModelInfo(String tier, ModelInfo model) {
    Gauge.builder("sieve.model.info", () -> 1.0)
        .description("Model served by this tier (value is always 1)")
        .tags(
            Tags.of(
                "tier", tier,
                "model", model.getName(),
                "version", model.getVersion(),
                "dataset_version", model.getDatasetVersion()))
        .register(registry);
  }

  /** Starts the {@code /metrics} HTTP endpoint; port 0 picks a free port, negative disables it. */
  public synchronized MetricsHttpServer startMetricsServer(String host, int port) {
    if (port < 0) {
      return null;
    }
    metricsServer = MetricsHttpServer.start(host, port, registry);
    return metricsServer;
  }

  @Override
  public synchronized void close() {
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    if (sdk != null) {
      sdk.close();
    }
    registry.close();
  }
}
