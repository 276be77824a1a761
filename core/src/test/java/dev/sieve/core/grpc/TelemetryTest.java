package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.telemetry.Telemetry;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Spans across a real gRPC hop share one trace; the metrics endpoint exposes request metrics. */
class TelemetryTest {

  @Test
  void clientAndServerSpansJoinOneTraceAndMetricsAreScraped() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    Telemetry telemetry = Telemetry.of("test-tier", otel);
    telemetry.registerModelInfo(
        "echo",
        ModelInfo.newBuilder().setName("m").setVersion("1").setDatasetVersion("ds-x").build());
    TierScorer tier =
        new TierScorer() {
          @Override
          public String tier() {
            return "echo";
          }

          @Override
          public TierDescription describe() {
            return TierDescription.getDefaultInstance();
          }

          @Override
          public ScoreResponse score(ScoreRequest request) {
            return ScoreResponse.newBuilder().setTier("echo").build();
          }
        };
    GrpcServerLauncher server =
        GrpcServerLauncher.builder("t")
            .host("127.0.0.1")
            .port(0)
            .telemetry(telemetry)
            .addService(new ScorerService(tier))
            .build()
            .start();
    server.markServing();
    HTTPServer metrics = telemetry.startMetricsServer("127.0.0.1", 0);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .intercept(telemetry.clientInterceptor())
            .build();
    try {
      ScorerGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .score(ScoreRequest.newBuilder().setUrl("http://example.com/").build());
      // The client span ends in the call's close callback, which may run just after the blocking
      // stub returned: wait (bounded) until both spans are exported.
      List<SpanData> spans = exporter.getFinishedSpanItems();
      for (int i = 0; i < 100 && spans.size() < 2; i++) {
        Thread.sleep(50);
        spans = exporter.getFinishedSpanItems();
      }
      SpanData client =
          spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
      SpanData srv =
          spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      assertThat(srv.getTraceId()).isEqualTo(client.getTraceId());
      assertThat(srv.getParentSpanId()).isEqualTo(client.getSpanId());
      assertThat(srv.getName()).isEqualTo("sieve.v1.Scorer/Score");

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + metrics.getPort() + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .containsPattern(
              "sieve_grpc_server_seconds_count\\{application=\"test-tier\",grpc_code=\"OK\","
                  + "grpc_method=\"Score\",grpc_service=\"sieve.v1.Scorer\"}")
          .doesNotContain("service=\"test-tier\"")
          .contains("sieve_model_info{");
    } finally {
      channel.shutdownNow();
      server.shutdownGracefully(Duration.ofSeconds(1));
      telemetry.close();
    }
  }
}
