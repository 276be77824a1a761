package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server reflection in both protocol versions: v1 (grpcurl, current tools) and v1alpha (older
 * clients that know only it), each listing the services and resolving a Sieve service's schema.
 */
class ServerReflectionTest {

  private static GrpcServerLauncher launcher;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    launcher =
        GrpcServerLauncher.builder("reflection-test")
            .host("127.0.0.1")
            .port(0)
            .addService(new ScorerService(new EchoTier()))
            .build()
            .start();
    launcher.markServing();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    launcher.shutdownGracefully(Duration.ofSeconds(1));
  }

  private static final List<String> EXPECTED =
      List.of(
          "sieve.v1.Scorer",
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  @Test
  void v1ListsTheServicesAndResolvesTheirSchema() throws Exception {
    ServerReflectionResponse listed =
        v1(ServerReflectionRequest.newBuilder().setListServices("*").build());
    assertThat(listed.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactlyInAnyOrderElementsOf(EXPECTED);

    ServerReflectionResponse file =
        v1(ServerReflectionRequest.newBuilder().setFileContainingSymbol("sieve.v1.Scorer").build());
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  @Test
  void v1alphaListsTheServicesAndResolvesTheirSchema() throws Exception {
    io.grpc.reflection.v1alpha.ServerReflectionResponse listed =
        v1alpha(
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setListServices("*")
                .build());
    assertThat(listed.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .containsExactlyInAnyOrderElementsOf(EXPECTED);

    io.grpc.reflection.v1alpha.ServerReflectionResponse file =
        v1alpha(
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("sieve.v1.Scorer")
                .build());
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  private static ServerReflectionResponse v1(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .serverReflectionInfo(observer(answer));
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(5, TimeUnit.SECONDS);
  }

  private static io.grpc.reflection.v1alpha.ServerReflectionResponse v1alpha(
      io.grpc.reflection.v1alpha.ServerReflectionRequest request) throws Exception {
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer =
        new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .serverReflectionInfo(observer(answer));
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(5, TimeUnit.SECONDS);
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("stream ended without an answer"));
      }
    };
  }
}
