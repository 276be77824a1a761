package dev.sieve.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as deployed: settings, port, health SERVING after warm-up, Score over the network.
 */
class ContentServiceMainTest {

  @Test
  void startsServingAndStops(@TempDir Path dir) throws Exception {
    try (OnnxSentenceEncoder encoder =
        OnnxSentenceEncoder.load(
            new OnnxSentenceEncoder.Options(EncoderVariant.QUANTIZED, 1, 1, 1, false))) {
      TestModels.tinyModel(dir, encoder);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    System.setProperty("sieve.content.model.dir", dir.toString());
    System.setProperty("sieve.grpc.port", String.valueOf(port));
    System.setProperty("sieve.metrics.port", "-1");
    System.setProperty("sieve.content.encoder.sessions", "1");
    ContentServiceMain.Running running;
    try {
      running = ContentServiceMain.start();
    } finally {
      System.clearProperty("sieve.content.model.dir");
      System.clearProperty("sieve.grpc.port");
      System.clearProperty("sieve.metrics.port");
      System.clearProperty("sieve.content.encoder.sessions");
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try (running) {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .check(HealthCheckRequest.newBuilder().setService("sieve.v1.Scorer").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      ScoreResponse response =
          ScorerGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .score(
                  ScoreRequest.newBuilder()
                      .setHtml(ByteString.copyFromUtf8("<p>Roulette and slots jackpot</p>"))
                      .build());
      assertThat(response.getTier()).isEqualTo("content");
      assertThat(response.getScoresCount()).isEqualTo(2);
      // The adaptive concurrency limit is installed on Score (defaults: Gradient2 from 32) and the
      // finished call has given its permit back.
      var registry = running.telemetry().meterRegistry();
      assertThat(
              registry
                  .get("sieve.concurrency.limit")
                  .tag("side", "server")
                  .tag("name", "content-service")
                  .gauge()
                  .value())
          .isEqualTo(32);
      assertThat(
              registry
                  .get("sieve.concurrency.limit.in.flight")
                  .tag("name", "content-service")
                  .gauge()
                  .value())
          .isZero();
      assertThat(
              registry
                  .get("sieve.concurrency.limit.rejected")
                  .tag("name", "content-service")
                  .functionCounter()
                  .count())
          .isZero();
    } finally {
      channel.shutdownNow();
    }
    assertThat(running.server().isTerminated()).isTrue();
  }
}
