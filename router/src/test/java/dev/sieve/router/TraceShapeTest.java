package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Classify across real gRPC hops (router and a tier on Netty, W3C propagation) yields one
 * trace: the router's server span, a client span per consulted tier under it, and the tier's server
 * span under that; the router span carries the verdict's lineage as attributes.
 */
class TraceShapeTest {

  @Test
  void routerSpanHasAChildPerTierAndVerdictAttributes() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    Telemetry routerTelemetry = Telemetry.of("router", otel);
    Telemetry tierTelemetry = Telemetry.of("url-service", otel);

    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.97));
    GrpcServerLauncher tierServer =
        GrpcServerLauncher.builder("url")
            .host("127.0.0.1")
            .port(0)
            .telemetry(tierTelemetry)
            .addService(url)
            .build()
            .start();
    tierServer.markServing();

    ManagedChannel channel = null;
    // A loaded CI machine must not turn a slow first call into a TIMEOUT (this test is about
    // spans).
    System.setProperty("sieve.url.tier.timeout.ms", "20000");
    System.setProperty("sieve.grpc.port", "0"); // any free port: a running fleet holds 50051
    RouterSettings settings;
    try {
      settings = RouterSettings.fromEnvironment();
    } finally {
      System.clearProperty("sieve.url.tier.timeout.ms");
      System.clearProperty("sieve.grpc.port");
    }
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    targets.put(TierName.URL, "127.0.0.1:" + tierServer.port());
    TierFleet fleet =
        TierFleet.connect(
            targets,
            tier -> settings.resilience().get(tier),
            Duration.ofMillis(5),
            List.of(routerTelemetry.clientInterceptor()));
    try (Router router =
        new Router(
            settings,
            PolicyStore.open(null),
            fleet,
            routerTelemetry.meterRegistry(),
            Ticker.systemTicker())) {
      GrpcServerLauncher routerServer = router.serve(routerTelemetry);
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", routerServer.port()).usePlaintext().build();
      ClassifyResponse response =
          ClassifierGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .classify(ClassifyRequest.newBuilder().setUrl("https://www.pokerstars.com/").build());
      assertThat(response.getTiers(0).getState())
          .as(response.toString())
          .isEqualTo(TierState.TIER_STATE_OK);
      // Client spans end in close callbacks that may run just after the reply: wait (bounded).
      List<SpanData> spans = exporter.getFinishedSpanItems();
      for (int i = 0; i < 100 && spans.size() < 3; i++) {
        Thread.sleep(50);
        spans = exporter.getFinishedSpanItems();
      }
      SpanData routerSpan = only(spans, SpanKind.SERVER, "sieve.v1.Classifier/Classify");
      SpanData tierClient = only(spans, SpanKind.CLIENT, "sieve.v1.Scorer/Score");
      SpanData tierServerSpan = only(spans, SpanKind.SERVER, "sieve.v1.Scorer/Score");

      assertThat(tierClient.getTraceId()).isEqualTo(routerSpan.getTraceId());
      assertThat(tierClient.getParentSpanId()).isEqualTo(routerSpan.getSpanId());
      assertThat(tierServerSpan.getTraceId()).isEqualTo(routerSpan.getTraceId());
      assertThat(tierServerSpan.getParentSpanId()).isEqualTo(tierClient.getSpanId());

      assertThat(routerSpan.getAttributes().get(AttributeKey.stringKey("sieve.action")))
          .isEqualTo("BLOCK");
      assertThat(routerSpan.getAttributes().get(AttributeKey.booleanKey("sieve.cache_hit")))
          .isFalse();
      assertThat(routerSpan.getAttributes().get(AttributeKey.booleanKey("sieve.degraded")))
          .isFalse();
      assertThat(
              routerSpan
                  .getAttributes()
                  .get(AttributeKey.stringArrayKey("sieve.decided_categories")))
          .contains("gambling");
      assertThat(routerSpan.getAttributes().get(AttributeKey.stringKey("sieve.tier.url.status")))
          .isEqualTo("OK");
      assertThat(
              routerSpan.getAttributes().get(AttributeKey.stringKey("sieve.tier.content.status")))
          .isEqualTo("NOT_DEPLOYED");
      assertThat(
              routerSpan.getAttributes().get(AttributeKey.stringArrayKey("sieve.model_versions")))
          .isNotEmpty();
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      tierServer.shutdownGracefully(Duration.ofSeconds(1));
    }
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind, String name) {
    List<SpanData> matching =
        spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).toList();
    assertThat(matching).as("%s spans named %s among %s", kind, name, spans).hasSize(1);
    return matching.get(0);
  }
}
