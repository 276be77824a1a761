package dev.sieve.router.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.security.LocalCertificateAuthority;
import dev.sieve.core.security.PemIdentity;
import dev.sieve.core.security.ServerSecurity;
import dev.sieve.core.security.TlsSettings;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.support.FakeTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's tier channels over mTLS, as RouterMain builds them from {@code SIEVE_TIER_TLS_*}:
 * the tier answers the router's certificate, and refuses a router presenting another identity.
 */
class TierMutualTlsTest {

  @TempDir Path dir;

  @Test
  void routerReachesATierOverMutualTlsOnlyWithTheAllowedIdentity() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.create("fleet", Duration.ofDays(1));
    Path caFile = dir.resolve("ca.crt");
    ca.write(caFile, dir.resolve("ca.key"));
    PemIdentity tierCert =
        ca.issue("url", List.of("localhost"), Duration.ofDays(1))
            .write(dir.resolve("url.crt"), dir.resolve("url.key"));
    PemIdentity routerCert =
        ca.issue("sieve-router", List.of(), Duration.ofDays(1))
            .write(dir.resolve("router.crt"), dir.resolve("router.key"));
    PemIdentity otherCert =
        ca.issue("batch-job", List.of(), Duration.ofDays(1))
            .write(dir.resolve("other.crt"), dir.resolve("other.key"));

    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.9));
    GrpcServerLauncher tier =
        GrpcServerLauncher.builder("url-service")
            .host("127.0.0.1")
            .port(0)
            .secure(
                ServerSecurity.configure(
                    "url-service",
                    TlsSettings.none().withServerIdentity(tierCert, caFile, Set.of("sieve-router")),
                    "127.0.0.1",
                    ServerSecurity.Role.INTERNAL))
            .addService(url)
            .build()
            .start();
    tier.markServing();
    try {
      assertThat(stateThrough(routerCert, caFile, tier.port())).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(stateThrough(otherCert, caFile, tier.port()))
          .isEqualTo(TierState.TIER_STATE_ERROR);
      assertThat(url.calls()).isEqualTo(1);
    } finally {
      tier.shutdownGracefully(Duration.ZERO);
    }
  }

  @Test
  void aNonLoopbackTierTargetWithoutTlsStopsTheRouterAtConnect() {
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    targets.put(TierName.URL, "dns:///sieve-url-service-headless:50052");
    assertThatThrownBy(
            () ->
                TierFleet.connect(
                    targets,
                    ResilienceSettings::defaults,
                    Duration.ofMillis(5),
                    List.of(),
                    ClientSecurity.forTiers(TlsSettings.none())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "refusing a plaintext connection to dns:///sieve-url-service-headless:50052");
  }

  private static TierState stateThrough(PemIdentity routerCert, Path caFile, int port)
      throws Exception {
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    targets.put(TierName.URL, "localhost:" + port);
    TlsSettings settings = TlsSettings.none().withTierClient(caFile, routerCert);
    try (ClientSecurity security = ClientSecurity.forTiers(settings);
        TierFleet fleet =
            TierFleet.connect(
                targets,
                t -> ResilienceSettings.defaults(t).withTimeout(Duration.ofSeconds(10)),
                Duration.ofMillis(5),
                List.of(),
                security)) {
      CompletableFuture<TierOutcome> outcome = new CompletableFuture<>();
      fleet
          .client(TierName.URL)
          .score(
              ScoreRequest.newBuilder().setUrl("https://bet.example/").build(),
              null,
              null,
              outcome::complete);
      return outcome.get(20, TimeUnit.SECONDS).state();
    }
  }
}
