package dev.sieve.core.security;

import static dev.sieve.core.security.MutualTlsTest.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.EchoTier;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.grpc.ScorerService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates rotate without a restart: replacing the files makes new connections use the new
 * certificate (the periodic watch finds them), and a broken replacement leaves the last good one in
 * use.
 */
class CertificateReloadTest {

  @TempDir Path dir;

  @Test
  void replacedServerCertificateIsUsedByNewConnections() throws Exception {
    TestPki oldCa = TestPki.create(dir, "old");
    TestPki newCa = TestPki.create(dir, "new");
    Path certFile = dir.resolve("server.crt");
    Path keyFile = dir.resolve("server.key");
    oldCa.ca.issue("tier", List.of("localhost"), Duration.ofDays(1)).write(certFile, keyFile);
    PemIdentity router = oldCa.issue("router", "sieve-router");
    // The tier trusts client certificates from either CA: only its own certificate rotates here.
    Path clientCas = dir.resolve("client-cas.pem");
    Files.writeString(clientCas, Files.readString(oldCa.caFile) + Files.readString(newCa.caFile));

    TlsSettings settings =
        TlsSettings.none()
            .withServerIdentity(
                new PemIdentity(certFile, keyFile), clientCas, Set.of("sieve-router"))
            .withReloadPeriod(Duration.ofMillis(100));
    GrpcServerLauncher tier = start(settings);
    try {
      assertThat(call(oldCa.caFile, router, tier)).isEqualTo(Status.Code.OK);
      assertThat(call(newCa.caFile, router, tier)).isEqualTo(Status.Code.UNAVAILABLE);

      newCa.ca.issue("tier", List.of("localhost"), Duration.ofDays(1)).write(certFile, keyFile);

      assertThat(eventually(() -> callQuietly(newCa.caFile, router, tier) == Status.Code.OK))
          .as("a new connection sees the new certificate within 10 s")
          .isTrue();
      assertThat(call(oldCa.caFile, router, tier)).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      tier.shutdownGracefully(Duration.ZERO);
    }
  }

  @Test
  void replacedClientCaAdmitsClientsOfTheNewCa() throws Exception {
    TestPki pki = TestPki.create(dir, "fleet");
    TestPki next = TestPki.create(dir, "next");
    PemIdentity tierCert = pki.issue("tier", "tier", "localhost");
    Path clientCa = dir.resolve("client-ca.pem");
    Files.copy(pki.caFile, clientCa);
    PemIdentity nextRouter = next.issue("router-next", "sieve-router");
    Path trust = dir.resolve("trust.pem");
    Files.copy(pki.caFile, trust);

    TlsSettings settings =
        TlsSettings.none()
            .withServerIdentity(tierCert, clientCa, Set.of("sieve-router"))
            .withReloadPeriod(Duration.ofMillis(100));
    GrpcServerLauncher tier = start(settings);
    try {
      assertThat(call(trust, nextRouter, tier)).isEqualTo(Status.Code.UNAVAILABLE);
      Files.writeString(clientCa, Files.readString(pki.caFile) + Files.readString(next.caFile));
      assertThat(eventually(() -> callQuietly(trust, nextRouter, tier) == Status.Code.OK)).isTrue();
    } finally {
      tier.shutdownGracefully(Duration.ZERO);
    }
  }

  @Test
  void aCertificateWithTheWrongKeyIsRejectedAndTheOldPairStays() throws Exception {
    TestPki pki = TestPki.create(dir, "fleet");
    Path certFile = dir.resolve("server.crt");
    Path keyFile = dir.resolve("server.key");
    pki.ca.issue("tier", List.of("localhost"), Duration.ofDays(1)).write(certFile, keyFile);
    PemIdentity router = pki.issue("router", "sieve-router");

    TlsSettings settings =
        TlsSettings.none()
            .withServerIdentity(
                new PemIdentity(certFile, keyFile), pki.caFile, Set.of("sieve-router"));
    ServerSecurity security =
        ServerSecurity.configure("tier", settings, "127.0.0.1", ServerSecurity.Role.INTERNAL);
    GrpcServerLauncher tier = start(security);
    try {
      // Half a rotation: a new certificate lands before its key.
      Path otherCert = dir.resolve("other.crt");
      pki.ca
          .issue("tier", List.of("localhost"), Duration.ofDays(1))
          .write(otherCert, dir.resolve("other.key"));
      Files.copy(otherCert, certFile, StandardCopyOption.REPLACE_EXISTING);

      assertThat(security.material().reloadIfChanged())
          .isEqualTo(ReloadingTlsMaterial.ReloadResult.REJECTED);
      assertThat(call(pki.caFile, router, tier)).isEqualTo(Status.Code.OK);

      Files.copy(dir.resolve("other.key"), keyFile, StandardCopyOption.REPLACE_EXISTING);
      assertThat(security.material().reloadIfChanged())
          .isEqualTo(ReloadingTlsMaterial.ReloadResult.RELOADED);
      assertThat(security.material().reloadIfChanged())
          .isEqualTo(ReloadingTlsMaterial.ReloadResult.UNCHANGED);
      assertThat(call(pki.caFile, router, tier)).isEqualTo(Status.Code.OK);
    } finally {
      tier.shutdownGracefully(Duration.ZERO);
    }
  }

  private static GrpcServerLauncher start(TlsSettings settings) throws Exception {
    return start(
        ServerSecurity.configure("tier", settings, "127.0.0.1", ServerSecurity.Role.INTERNAL));
  }

  private static GrpcServerLauncher start(ServerSecurity security) throws Exception {
    GrpcServerLauncher tier =
        GrpcServerLauncher.builder("tier")
            .host("127.0.0.1")
            .port(0)
            .secure(security)
            .addService(new ScorerService(new EchoTier()))
            .build()
            .start();
    tier.markServing();
    return tier;
  }

  /** A fresh client (new connection) trusting {@code ca}, presenting {@code identity}. */
  private static Status.Code call(Path ca, PemIdentity identity, GrpcServerLauncher tier)
      throws Exception {
    try (ClientSecurity client =
        ClientSecurity.of("test", TlsSettings.Mode.ON, Optional.of(ca), Optional.of(identity))) {
      ManagedChannel channel = client.channelBuilder("localhost:" + tier.port()).build();
      try {
        score(channel);
        return Status.Code.OK;
      } catch (StatusRuntimeException e) {
        return e.getStatus().getCode();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Status.Code callQuietly(Path ca, PemIdentity identity, GrpcServerLauncher tier) {
    try {
      return call(ca, identity, tier);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
