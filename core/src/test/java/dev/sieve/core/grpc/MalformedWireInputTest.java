package dev.sieve.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bytes on the wire that are not a valid request message — invalid UTF-8 in a proto3 string field,
 * a truncated message, random bytes — sent through a real Netty server built by {@link
 * GrpcServerLauncher} with a pass-through byte[] marshaller on the client: every one must be
 * INVALID_ARGUMENT with a description, never UNKNOWN or INTERNAL, on the router's service
 * (Classifier), a tier's (Scorer) and health.
 */
class MalformedWireInputTest {

  private static final HexFormat HEX = HexFormat.of();
  private static GrpcServerLauncher launcher;
  private static ManagedChannel channel;

  /**
   * A Classifier double: answers each request with its request_id (the router's contract shape).
   */
  static final class EchoClassifier extends ClassifierGrpc.ClassifierImplBase {
    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> responses) {
      responses.onNext(ClassifyResponse.newBuilder().setRequestId(request.getRequestId()).build());
      responses.onCompleted();
    }

    @Override
    public StreamObserver<ClassifyRequest> classifyStream(
        StreamObserver<ClassifyStreamResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ClassifyRequest request) {
          responses.onNext(
              ClassifyStreamResponse.newBuilder().setRequestId(request.getRequestId()).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }

  @BeforeAll
  static void start() throws IOException {
    launcher =
        GrpcServerLauncher.builder("wire-test")
            .host("127.0.0.1")
            .port(0)
            .maxInboundMessageBytes(4096)
            .addService(new ScorerService(new EchoTier()))
            .addService(new EchoClassifier())
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

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
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

  static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> typed) {
    return typed.toBuilder(BYTES, BYTES).build();
  }

  private static Status send(MethodDescriptor<?, ?> method, byte[] message) {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    raw(method),
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                    message));
    return e == null ? Status.OK : e.getStatus();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // field 1 (url), length 2, C3 28: a two-byte sequence whose second byte is not a continuation
    "url,        0a02c328",
    // field 4 (tenant_id): FF never occurs in UTF-8
    "tenant_id,  2203ff6162",
    // field 5 (request_id): an unpaired surrogate (ED A0 80) is not valid UTF-8
    "request_id, 2a03eda080",
    // field 6 (tiers, repeated string): an overlong encoding of '/'
    "tiers,      3202c0af",
  })
  void invalidUtf8InAStringFieldIsInvalidArgumentOnRouterAndTier(String field, String hex) {
    byte[] message = HEX.parseHex(hex);
    for (MethodDescriptor<?, ?> method :
        List.of(ClassifierGrpc.getClassifyMethod(), ScorerGrpc.getScoreMethod())) {
      Status status = send(method, message);
      assertThat(status.getCode())
          .as(field + " on " + method.getFullMethodName())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription())
          .startsWith("malformed request message for " + method.getFullMethodName())
          .contains("invalid UTF-8");
    }
  }

  @Test
  void aTruncatedMessageIsInvalidArgument() {
    byte[] whole =
        ClassifyRequest.newBuilder()
            .setUrl("https://www.example.com/some/page")
            .setRequestId("r1")
            .build()
            .toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

    Status status = send(ClassifierGrpc.getClassifyMethod(), truncated);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("input ended unexpectedly");
  }

  @Test
  void randomBytesAreInvalidArgumentWhenTheyDoNotParseAndNeverUnknown() {
    Random random = new Random(12);
    int malformed = 0;
    for (int i = 0; i < 300; i++) {
      byte[] message = new byte[1 + random.nextInt(200)];
      random.nextBytes(message);
      boolean parses = parses(message);
      for (MethodDescriptor<?, ?> method :
          List.of(ClassifierGrpc.getClassifyMethod(), ScorerGrpc.getScoreMethod())) {
        Status status = send(method, message);
        assertThat(status.getCode())
            .as("%s %s", method.getFullMethodName(), HEX.formatHex(message))
            .isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL);
        if (!parses) {
          assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
      }
      malformed += parses ? 0 : 1;
    }
    assertThat(malformed).as("random bytes that do not parse").isGreaterThan(250);
  }

  private static boolean parses(byte[] message) {
    try {
      ClassifyRequest.parseFrom(message);
      ScoreRequest.parseFrom(message);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  @Test
  void aValidMessageStillGoesThrough() throws Exception {
    byte[] response =
        ClientCalls.blockingUnaryCall(
            channel,
            raw(ClassifierGrpc.getClassifyMethod()),
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
            ClassifyRequest.newBuilder()
                .setUrl("https://example.com/")
                .setRequestId("ok-1")
                .build()
                .toByteArray());
    assertThat(ClassifyResponse.parseFrom(response).getRequestId()).isEqualTo("ok-1");
  }

  @Test
  void healthIsGuardedToo() {
    Status status = send(HealthGrpc.getCheckMethod(), HEX.parseHex("0a02c328"));
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aMalformedMessageInAStreamEndsTheStreamWithInvalidArgumentAfterTheGoodOnes()
      throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(
                raw(ClassifierGrpc.getClassifyStreamMethod()),
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                events.add(value);
              }

              @Override
              public void onError(Throwable t) {
                events.add(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                events.add(Status.OK);
              }
            });
    requests.onNext(
        ClassifyRequest.newBuilder()
            .setUrl("https://example.com/")
            .setRequestId("s-1")
            .build()
            .toByteArray());
    Object first = events.poll(5, TimeUnit.SECONDS);
    assertThat(first).isInstanceOf(byte[].class);
    assertThat(ClassifyStreamResponse.parseFrom((byte[]) first).getRequestId()).isEqualTo("s-1");

    requests.onNext(HEX.parseHex("0a02c328"));
    Object end = events.poll(5, TimeUnit.SECONDS);
    assertThat(end).isInstanceOf(Status.class);
    assertThat(((Status) end).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void oversizedMessagesStayResourceExhaustedAndAreNotLoggedOneStackTraceEach() {
    List<LogRecord> printed = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            printed.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger transport = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");
    transport.addHandler(capture);
    try {
      long before = RejectedRequestLog.shared().total();
      byte[] big =
          ClassifyRequest.newBuilder()
              .setUrl("x")
              .setText(ByteString.copyFrom(new byte[8192]))
              .build()
              .toByteArray();
      List<Status.Code> codes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        codes.add(send(ClassifierGrpc.getClassifyMethod(), big).getCode());
      }
      assertThat(codes).containsOnly(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(RejectedRequestLog.shared().total() - before).isGreaterThanOrEqualTo(20);
      assertThat(printed).noneMatch(r -> TransportRejectionFilter.MESSAGE.equals(r.getMessage()));
    } finally {
      transport.removeHandler(capture);
    }
  }
}
