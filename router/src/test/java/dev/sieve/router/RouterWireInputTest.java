package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.TierName;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real router server (as RouterMain serves it) given bytes that are not a ClassifyRequest:
 * INVALID_ARGUMENT with the parser's reason, never UNKNOWN, and no tier is called.
 */
class RouterWireInputTest {

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

  @Test
  void malformedClassifyRequestsAreInvalidArgumentAndReachNoTier() throws Exception {
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("news", 0.6));
    try (RouterHarness h = RouterHarness.builder().tier(TierName.URL, url).build()) {
      GrpcServerLauncher launcher = h.router().serve();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
      try {
        MethodDescriptor<byte[], byte[]> classify =
            ClassifierGrpc.getClassifyMethod().toBuilder(BYTES, BYTES).build();
        HexFormat hex = HexFormat.of();
        for (String message :
            new String[] {
              "0a02c328", // url: invalid UTF-8
              "2203ff6162", // tenant_id: invalid UTF-8
              "2a03eda080", // request_id: an unpaired surrogate
              "3202c0af", // tiers: an overlong encoding
              "0a1868747470733a2f2f", // url: length 24, 10 bytes sent (truncated)
              "ffffffffffffffffffff", // not a message at all
            }) {
          Status status;
          try {
            ClientCalls.blockingUnaryCall(
                channel,
                classify,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                hex.parseHex(message));
            status = Status.OK;
          } catch (StatusRuntimeException e) {
            status = e.getStatus();
          }
          assertThat(status.getCode()).as(message).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(status.getDescription())
              .as(message)
              .startsWith("malformed request message for sieve.v1.Classifier/Classify: ");
        }
        assertThat(url.calls()).isZero();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
