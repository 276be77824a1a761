package dev.sieve.cli.bench;

import dev.sieve.cli.support.HostPort;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;

/**
 * A bare gRPC server on loopback that implements Classifier and Scorer with a fixed tiny response
 * and no work at all: the floor that the router's latency is compared against ("router overhead
 * over a bare echo service is the number to minimize"). It runs on the same stack as the services
 * (core's GrpcServerLauncher, Netty), so the difference is the work, not the plumbing.
 */
public final class EchoServer implements AutoCloseable {

  private final GrpcServerLauncher launcher;

  private EchoServer(GrpcServerLauncher launcher) {
    this.launcher = launcher;
  }

  /** Starts on 127.0.0.1 and an ephemeral port; SERVING immediately. */
  public static EchoServer start() throws IOException {
    GrpcServerLauncher launcher =
        GrpcServerLauncher.builder("echo")
            .host("127.0.0.1")
            .port(0)
            // Handlers do no work: run them on the event loop, the cheapest possible server.
            .executor(Runnable::run)
            .addService(new EchoClassifier())
            .addService(new EchoScorer())
            .build()
            .start();
    launcher.markServing();
    return new EchoServer(launcher);
  }

  public HostPort target() {
    return HostPort.loopback(launcher.port());
  }

  @Override
  public void close() {
    launcher.shutdownGracefully(Duration.ofSeconds(2));
  }

  /** The fixed Classify response (request id echoed so callers can match it). */
  static ClassifyResponse classifyResponse(ClassifyRequest request) {
    return ClassifyResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setAction(Action.ACTION_ALLOW)
        .setPolicyId("echo")
        .build();
  }

  private static final class EchoClassifier extends ClassifierGrpc.ClassifierImplBase {
    @Override
    public void classify(
        ClassifyRequest request, StreamObserver<ClassifyResponse> responseObserver) {
      responseObserver.onNext(classifyResponse(request));
      responseObserver.onCompleted();
    }

    @Override
    public StreamObserver<ClassifyRequest> classifyStream(
        StreamObserver<ClassifyStreamResponse> responseObserver) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ClassifyRequest request) {
          responseObserver.onNext(
              ClassifyStreamResponse.newBuilder()
                  .setRequestId(request.getRequestId())
                  .setResponse(classifyResponse(request))
                  .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responseObserver.onCompleted();
        }
      };
    }
  }

  private static final class EchoScorer extends ScorerGrpc.ScorerImplBase {
    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> responseObserver) {
      responseObserver.onNext(ScoreResponse.newBuilder().setTier("echo").build());
      responseObserver.onCompleted();
    }

    @Override
    public void describe(
        DescribeRequest request, StreamObserver<TierDescription> responseObserver) {
      responseObserver.onNext(TierDescription.newBuilder().setTier("echo").build());
      responseObserver.onCompleted();
    }
  }
}
