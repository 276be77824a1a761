package dev.sieve.core.telemetry;

import com.sun.management.OperatingSystemMXBean;
import dev.sieve.proto.v1.ModelInfo;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces and metrics for one Sieve process, configured the way operators expect.
 *
 * <p>Tracing uses the OpenTelemetry SDK autoconfigured from the standard {@code OTEL_*} environment
 * variables (so an SRE points every service at a collector with {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * and {@code OTEL_TRACES_EXPORTER=otlp}); with nothing set, exporters are off so {@code ./sieve up}
 * needs no collector. gRPC spans come from OTel's grpc-1.6 instrumentation, which propagates W3C
 * trace context across every hop. Metrics use a Micrometer Prometheus registry scraped at {@code
 * /metrics} on the service's metrics port, with the JVM and process binders (memory, GC, threads,
 * class loading, CPU, uptime, file descriptors) bound.
 *
 * <p>The endpoint is the Prometheus Java client's {@link HTTPServer} (the client Micrometer's
 * registry is built on), not a hand-written one: it serves each scrape on a worker pool, so a
 * client that stalls half-way through its request holds one worker instead of the endpoint. Every
 * series carries {@code application=<service name>}; the {@code service} label is left to
 * Prometheus (the Operator sets it to the Kubernetes Service), and gRPC metrics name the RPC with
 * {@code grpc_service} and {@code grpc_method}.
 */
public final class Telemetry implements AutoCloseable {

  /** Longest a scrape's request may take to arrive, or its response to be read, in seconds. */
  static final int MAX_EXCHANGE_SECONDS = 30;

  private final String serviceName;
  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final PrometheusMeterRegistry registry;
  private final GrpcTelemetry grpcTelemetry;
  private final List<AutoCloseable> binders = new ArrayList<>();
  private HTTPServer metricsServer;

  private Telemetry(
      String serviceName,
      OpenTelemetry openTelemetry,
      OpenTelemetrySdk sdk,
      PrometheusMeterRegistry registry) {
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
    Telemetry telemetry = new Telemetry(serviceName, sdk, sdk, newRegistry(serviceName));
    telemetry.bindJvmAndProcessMetrics();
    return telemetry;
  }

  /**
   * JVM (memory, GC, heap pressure, threads, classes, build info) and process (CPU, uptime, fds)
   * metrics.
   */
  private void bindJvmAndProcessMetrics() {
    JvmGcMetrics gc = new JvmGcMetrics();
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    binders.add(gc);
    binders.add(heapPressure);
    for (MeterBinder binder :
        List.of(
            new JvmMemoryMetrics(),
            gc,
            heapPressure,
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new JvmInfoMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics(),
            new FileDescriptorMetrics(),
            Telemetry::bindProcessCpuSeconds)) {
      binder.bindTo(registry);
    }
  }

  /**
   * {@code process_cpu_seconds_total}, the standard Prometheus name for CPU time, instead of
   * Micrometer's {@code process_cpu_time_ns_total} (promtool rejects abbreviated units).
   */
  private static void bindProcessCpuSeconds(MeterRegistry registry) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the process (all threads)")
          .register(registry);
    }
  }

  /**
   * Keeps the exposition lint-clean for promtool: Micrometer's binders name two meters against
   * Prometheus conventions ({@code process.cpu.time} in ns, replaced by {@link
   * #bindProcessCpuSeconds}; {@code system.cpu.count}, whose {@code _count} suffix is reserved for
   * histograms, renamed {@code system.cpus}).
   */
  private static void lintCleanNames(PrometheusMeterRegistry registry) {
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
  }

  /** Telemetry over a given OpenTelemetry (tests use an in-memory exporter). */
  public static Telemetry of(String serviceName, OpenTelemetry openTelemetry) {
    return new Telemetry(serviceName, openTelemetry, null, newRegistry(serviceName));
  }

  /** Common tags must be set before any meter is registered, or Micrometer ignores them. */
  private static PrometheusMeterRegistry newRegistry(String serviceName) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("application", serviceName);
    lintCleanNames(registry);
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

  /**
   * Starts the {@code /metrics} HTTP endpoint; port 0 picks a free port, negative disables it.
   *
   * <p>Unless the operator set them, this bounds how long one HTTP request may take to arrive and
   * its response to be read ({@code sun.net.httpserver.maxReqTime/maxRspTime}, {@value
   * #MAX_EXCHANGE_SECONDS} s, JVM-wide for the JDK server underneath): a client that stalls is
   * disconnected instead of holding a worker for ever. The JDK reads them when its first HTTP
   * server starts, which in a service is this one.
   */
  public synchronized HTTPServer startMetricsServer(String host, int port) {
    if (port < 0) {
      return null;
    }
    for (String property :
        List.of("sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime")) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, Integer.toString(MAX_EXCHANGE_SECONDS));
      }
    }
    try {
      metricsServer =
          HTTPServer.builder()
              .hostname(host)
              .port(port)
              .registry(registry.getPrometheusRegistry())
              .buildAndStart();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind metrics endpoint on " + host + ":" + port, e);
    }
    return metricsServer;
  }

  @Override
  public synchronized void close() {
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        // closing a binder only unregisters JMX listeners; nothing to recover
      }
    }
    binders.clear();
    if (sdk != null) {
      sdk.close();
    }
    registry.close();
  }
}
