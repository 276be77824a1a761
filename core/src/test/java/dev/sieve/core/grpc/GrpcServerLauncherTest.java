package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts a real Netty server on an ephemeral loopback port: health, scoring and error mapping. */
class GrpcServerLauncherTest {

  @Test
  void healthIsNotServingUntilMarkedThenScoresAndMapsErrors() throws Exception {
    GrpcServerLauncher launcher =
        GrpcServerLauncher.builder("test")
            .host("127.0.0.1")
            .port(0)
            .addService(new ScorerService(new EchoTier()))
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.NOT_SERVING);
      launcher.markServing();
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(
              health
                  .check(HealthCheckRequest.newBuilder().setService("sieve.v1.Scorer").build())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);

      ScorerGrpc.ScorerBlockingStub stub =
          ScorerGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertThat(stub.score(ScoreRequest.newBuilder().setUrl("x").build()).getScores(0).getScore())
          .isEqualTo(0.5);
      assertThatThrownBy(() -> stub.score(ScoreRequest.newBuilder().setUrl("bad").build()))
          .isInstanceOf(StatusRuntimeException.class)
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThatThrownBy(() -> stub.score(ScoreRequest.newBuilder().setUrl("boom").build()))
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getDescription())
          .isEqualTo("echo tier failed: IllegalStateException");

      launcher.shutdownGracefully(Duration.ofSeconds(2));
      assertThat(launcher.isTerminated()).isTrue();
    } finally {
      channel.shutdownNow();
      launcher.shutdownGracefully(Duration.ofSeconds(1));
    }
  }

  @Test
  void oversizedMessagesAreResourceExhaustedBeforeParsing() throws Exception {
    GrpcServerLauncher launcher =
        GrpcServerLauncher.builder("small")
            .host("127.0.0.1")
            .port(0)
            .maxInboundMessageBytes(1024)
            .addService(new ScorerService(new EchoTier()))
            .build()
            .start();
    launcher.markServing();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
    try {
      ScorerGrpc.ScorerBlockingStub stub =
          ScorerGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      ScoreRequest big =
          ScoreRequest.newBuilder()
              .setUrl("x")
              .setText(ByteString.copyFromUtf8("a".repeat(4096)))
              .build();
      assertThatThrownBy(() -> stub.score(big))
          .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    } finally {
      channel.shutdownNow();
      launcher.shutdownGracefully(Duration.ofSeconds(1));
    }
  }
}
