package dev.sieve.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.EchoTier;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScorerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier served with mTLS over real loopback sockets, certificates generated for the test: the
 * router's certificate gets through, everything else is refused at the handshake or by identity.
 */
class MutualTlsTest {

  @TempDir Path dir;

  private TestPki pki;
  private PemIdentity routerCert;
  private GrpcServerLauncher tier;

  @BeforeEach
  void startTier() throws Exception {
    pki = TestPki.create(dir, "fleet");
    PemIdentity tierCert = pki.issue("tier", "url-service", "localhost", "127.0.0.1");
    routerCert = pki.issue("router", "sieve-router", "sieve-router");
    TlsSettings settings =
        TlsSettings.none()
            .withServerIdentity(tierCert, pki.caFile, Set.of("sieve-router"))
            .withHealthPort(0);
    tier =
        GrpcServerLauncher.builder("url-service")
            .host("127.0.0.1")
            .port(0)
            .secure(
                ServerSecurity.configure(
                    "url-service", settings, "127.0.0.1", ServerSecurity.Role.INTERNAL))
            .addService(new ScorerService(new EchoTier()))
            .build()
            .start();
    tier.markServing();
  }

  @AfterEach
  void stopTier() {
    tier.shutdownGracefully(Duration.ZERO);
  }

  @Test
  void theRoutersCertificateIsAcceptedOverTls() throws Exception {
    try (ClientSecurity client =
        ClientSecurity.of(
            "test", TlsSettings.Mode.AUTO, Optional.of(pki.caFile), Optional.of(routerCert))) {
      assertThat(client.tls()).isTrue();
      ManagedChannel channel = client.channelBuilder("localhost:" + tier.port()).build();
      try {
        assertThat(score(channel)).isEqualTo(0.5);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aPlaintextClientIsRefused() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", tier.port()).usePlaintext().build();
    try {
      assertThat(codeOf(() -> score(channel))).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientWithoutCertificateFailsTheHandshake() throws Exception {
    assertThat(scoreWith(Optional.of(pki.caFile), Optional.empty(), "localhost"))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void anotherCertificateFromTheSameCaIsAuthenticatedButNotAllowed() throws Exception {
    PemIdentity intruder = pki.issue("intruder", "some-other-workload", "some-other-workload");
    try (ClientSecurity client =
        ClientSecurity.of(
            "test", TlsSettings.Mode.AUTO, Optional.of(pki.caFile), Optional.of(intruder))) {
      ManagedChannel channel = client.channelBuilder("localhost:" + tier.port()).build();
      try {
        StatusRuntimeException e = catchStatus(() -> score(channel));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription())
            .contains("some-other-workload")
            .contains("sieve.v1.Scorer");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
    TestPki other = TestPki.create(dir, "other");
    PemIdentity forged = other.issue("forged", "sieve-router", "sieve-router");
    assertThat(scoreWith(Optional.of(pki.caFile), Optional.of(forged), "localhost"))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void theServerCertificateMustNameTheTargetHost() throws Exception {
    // Same socket, but the client asks for a host the tier's certificate does not name.
    try (ClientSecurity client =
        ClientSecurity.of(
            "test", TlsSettings.Mode.ON, Optional.of(pki.caFile), Optional.of(routerCert))) {
      for (String authority : new String[] {"not-the-tier.example", "localhost"}) {
        ManagedChannel channel =
            client
                .channelBuilder("127.0.0.1:" + tier.port())
                .overrideAuthority(authority + ":" + tier.port())
                .build();
        try {
          if (authority.equals("localhost")) {
            assertThat(score(channel)).isEqualTo(0.5);
          } else {
            assertThat(codeOf(() -> score(channel))).isEqualTo(Status.Code.UNAVAILABLE);
          }
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void theServerMustBeSignedByTheTrustedCa() throws Exception {
    TestPki other = TestPki.create(dir, "other");
    assertThat(scoreWith(Optional.of(other.caFile), Optional.of(routerCert), "localhost"))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void probesReadHealthOnThePlaintextHealthPortOnly() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", tier.healthPort()).usePlaintext().build();
    try {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(codeOf(() -> score(channel))).isEqualTo(Status.Code.UNIMPLEMENTED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private Status.Code scoreWith(Optional<Path> ca, Optional<PemIdentity> identity, String host)
      throws Exception {
    try (ClientSecurity client = ClientSecurity.of("test", TlsSettings.Mode.ON, ca, identity)) {
      ManagedChannel channel = client.channelBuilder(host + ":" + tier.port()).build();
      try {
        return codeOf(() -> score(channel));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static double score(ManagedChannel channel) {
    return ScorerGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .score(ScoreRequest.newBuilder().setUrl("https://example.com/").build())
        .getScores(0)
        .getScore();
  }

  static Status.Code codeOf(Runnable call) {
    return catchStatus(call).getStatus().getCode();
  }

  static StatusRuntimeException catchStatus(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }
}
