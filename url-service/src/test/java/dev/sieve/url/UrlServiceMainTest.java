package dev.sieve.url;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real server over Netty on an ephemeral loopback port with a fixture dataset. */
class UrlServiceMainTest {

  @TempDir Path home;

  @Test
  void servesHealthAndScoresOverNetty() throws Exception {
    FixtureDatasets.install("table", home);
    System.setProperty("sieve.url.table.snapshot.dir", home.resolve("snapshots").toString());
    UrlServiceMain.Running running = UrlServiceMain.start(home, "127.0.0.1", 0, 0);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", running.port()).usePlaintext().build();
    try {
      var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(
              health
                  .check(HealthCheckRequest.newBuilder().setService("sieve.v1.Scorer").build())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);

      ScoreResponse response =
          ScorerGrpc.newBlockingStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .score(
                  ScoreRequest.newBuilder()
                      .setUrl("http://www.overlap.com/")
                      .setRequestId("r1")
                      .build());
      assertThat(response.getScoresList())
          .extracting(s -> s.getCategory())
          .containsExactly("adult", "dating");
      assertThat(response.getModel().getDatasetVersion()).isEqualTo("ds-fixture-table");

      // Malformed wire input on the real tier: INVALID_ARGUMENT (not UNKNOWN); oversized stays
      // RESOURCE_EXHAUSTED.
      assertThat(rawScoreStatus(channel, HexFormat.of().parseHex("0a03ff2f2f")).getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(rawScoreStatus(channel, HexFormat.of().parseHex("0a1068747470")).getCode())
          .as("truncated")
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      byte[] oversized =
          ScoreRequest.newBuilder()
              .setUrl("http://x/")
              .setText(ByteString.copyFrom(new byte[70_000]))
              .build()
              .toByteArray();
      assertThat(rawScoreStatus(channel, oversized).getCode())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

      var http = HttpClient.newHttpClient();
      String metrics =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + running.metricsPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("sieve_model_info")
          .contains("tier=\"url\"")
          .contains("ds-fixture-table");
    } finally {
      running.stop(Duration.ofSeconds(2));
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(running.server().isTerminated()).isTrue();
    assertThat(home.resolve("snapshots"))
        .isDirectoryContaining("glob:**/url-table-ds-fixture-table-*.bin");
    System.clearProperty("sieve.url.table.snapshot.dir");
  }

  /** Sends {@code message} as the Score request's bytes, as they are (a byte[] marshaller). */
  private static Status rawScoreStatus(ManagedChannel channel, byte[] message) {
    MethodDescriptor.Marshaller<byte[]> bytes =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    try {
      ClientCalls.blockingUnaryCall(
          channel,
          ScorerGrpc.getScoreMethod().toBuilder(bytes, bytes).build(),
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          message);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }
}
