package dev.sieve.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.security.ClientSecurity;
import dev.sieve.core.security.LocalCertificateAuthority;
import dev.sieve.core.security.PemIdentity;
import dev.sieve.core.security.TlsSettings;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ClassifyStreamResponse;
import dev.sieve.router.http.HttpGateway;
import dev.sieve.router.http.HttpGatewaySettings;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.support.StreamCollector;
import dev.sieve.router.tier.TierName;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant client authentication on the router's Classify port, over a real TLS socket: API keys
 * and client certificates map to exactly one tenant, everything else is refused with a precise
 * status, and the credentials file is reloaded without a restart.
 */
class TenantAuthenticationTest {

  private static final String KEY_A = "sk-district-a-3f9c1e7a2b";
  private static final String KEY_B = "sk-district-b-8d0e4a61c5";

  private static final String POLICY =
      RouterHarness.TEST_POLICY
          + """
          tenants:
            district-a:
              categories:
                games: {action: BLOCK}
            district-b: {}
          """;

  @TempDir Path dir;

  private RouterHarness harness;
  private GrpcServerLauncher launcher;
  private LocalCertificateAuthority ca;
  private Path caFile;
  private Path authFile;
  private RouterSecurity security;

  @BeforeEach
  void start() throws Exception {
    ca = LocalCertificateAuthority.create("test-ca", Duration.ofDays(1));
    caFile = dir.resolve("ca.crt");
    ca.write(caFile, dir.resolve("ca.key"));
    PemIdentity server =
        ca.issue("router", List.of("localhost"), Duration.ofDays(1))
            .write(dir.resolve("router.crt"), dir.resolve("router.key"));
    authFile = dir.resolve("clients.yaml");
    writeAuthFile(List.of(KEY_A), List.of(KEY_B));
    security =
        RouterSecurity.configure(
            TlsSettings.none().withServerIdentity(server, caFile, Set.of()),
            "auto",
            Optional.of(authFile),
            Duration.ofMillis(100),
            "127.0.0.1");
    FakeTier url = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("games", 0.9));
    harness = RouterHarness.builder().policy(POLICY).tier(TierName.URL, url).build();
    launcher = harness.router().serve(null, security);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void theRightKeyClassifiesAsItsTenant() throws Exception {
    withChannel(
        Optional.empty(),
        channel -> {
          ClassifyResponse named = stub(channel, KEY_A).classify(request("district-a"));
          assertThat(named.getEffectiveTenant()).isEqualTo("district-a");
          // No tenant_id: the credential names the tenant.
          ClassifyResponse bound = stub(channel, KEY_A).classify(request(""));
          assertThat(bound.getEffectiveTenant()).isEqualTo("district-a");
          assertThat(stub(channel, KEY_B).classify(request("")).getEffectiveTenant())
              .isEqualTo("district-b");
        });
  }

  /**
   * The JSON/HTTP API over TLS with the router's certificate, authenticated by the same API keys.
   */
  @Test
  void theHttpApiServesHttpsAndTheSameKeysDecideTheTenant() throws Exception {
    Certificate caCert;
    try (var in = Files.newInputStream(caFile)) {
      caCert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", caCert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    try (HttpGateway http =
        harness
            .router()
            .serveHttp(
                new HttpGatewaySettings(0, "127.0.0.1", 1 << 20, 8, 4, 16), null, security)) {
      BiFunction<String, String, HttpResponse<String>> post =
          (key, body) -> {
            var request =
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + http.port() + "/v1/classify"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
              request.header("Authorization", "Bearer " + key);
            }
            try {
              return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      var ok = post.apply(KEY_A, "{\"url\":\"https://games.example/\"}");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.body()).contains("\"effectiveTenant\":\"district-a\"");
      var anonymous = post.apply(null, "{\"url\":\"https://games.example/\"}");
      assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"reason\":\"UNAUTHENTICATED\"");
      var other =
          post.apply(KEY_A, "{\"url\":\"https://games.example/\",\"tenantId\":\"district-b\"}");
      assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
      assertThat(other.body()).contains("\"reason\":\"TENANT_MISMATCH\"");
    }
  }

  @Test
  void missingMalformedAndUnknownKeysAreUnauthenticated() throws Exception {
    withChannel(
        Optional.empty(),
        channel -> {
          assertThat(
                  status(
                      () ->
                          ClassifierGrpc.newBlockingStub(channel).classify(request("district-a"))))
              .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
              .satisfies(s -> assertThat(s.getDescription()).contains("credentials required"));
          assertThat(
                  status(() -> stub(channel, "sk-not-issued").classify(request("district-a")))
                      .getCode())
              .isEqualTo(Status.Code.UNAUTHENTICATED);
          Metadata basic = new Metadata();
          basic.put(TenantAuthInterceptor.AUTHORIZATION, "Basic dXNlcjpwYXNz");
          assertThat(
                  status(
                          () ->
                              ClassifierGrpc.newBlockingStub(channel)
                                  .withInterceptors(
                                      MetadataUtils.newAttachHeadersInterceptor(basic))
                                  .classify(request("district-a")))
                      .getDescription())
              .contains("Bearer");
          // Health stays open for probes and load balancers.
          assertThat(
                  HealthGrpc.newBlockingStub(channel)
                      .check(HealthCheckRequest.getDefaultInstance())
                      .getStatus())
              .isEqualTo(ServingStatus.SERVING);
        });
    assertThat(harness.tier(TierName.URL).calls()).isZero();
  }

  @Test
  void aCallerAuthenticatedAsOneTenantCannotClassifyAsAnother() throws Exception {
    withChannel(
        Optional.empty(),
        channel -> {
          Status denied = status(() -> stub(channel, KEY_A).classify(request("district-b")));
          assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(denied.getDescription()).contains("district-a").contains("district-b");

          // In a stream the item gets the error and the stream goes on.
          StreamCollector collector = new StreamCollector();
          StreamObserver<ClassifyRequest> requests =
              ClassifierGrpc.newStub(channel)
                  .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(KEY_A)))
                  .classifyStream(collector);
          requests.onNext(request("district-b").toBuilder().setRequestId("theirs").build());
          requests.onNext(request("").toBuilder().setRequestId("ours").build());
          requests.onCompleted();
          List<ClassifyStreamResponse> items = collector.done.get(20, TimeUnit.SECONDS);
          assertThat(items).hasSize(2);
          ClassifyStreamResponse theirs =
              items.stream()
                  .filter(i -> i.getRequestId().equals("theirs"))
                  .findFirst()
                  .orElseThrow();
          ClassifyStreamResponse ours =
              items.stream().filter(i -> i.getRequestId().equals("ours")).findFirst().orElseThrow();
          assertThat(theirs.getError().getCode()).isEqualTo("PERMISSION_DENIED");
          assertThat(ours.getResponse().getEffectiveTenant()).isEqualTo("district-a");
        });
    assertThat(harness.tier(TierName.URL).calls()).isEqualTo(1);
  }

  @Test
  void aClientCertificateListedForATenantAuthenticatesIt() throws Exception {
    PemIdentity proxy =
        ca.issue(
                "filter.district-b.example",
                List.of("filter.district-b.example"),
                Duration.ofDays(1))
            .write(dir.resolve("proxy.crt"), dir.resolve("proxy.key"));
    PemIdentity stranger =
        ca.issue("stranger.example", List.of("stranger.example"), Duration.ofDays(1))
            .write(dir.resolve("stranger.crt"), dir.resolve("stranger.key"));
    withChannel(
        Optional.of(proxy),
        channel -> {
          assertThat(
                  ClassifierGrpc.newBlockingStub(channel)
                      .classify(request(""))
                      .getEffectiveTenant())
              .isEqualTo("district-b");
          // A key of another tenant on the same connection is ambiguous.
          assertThat(status(() -> stub(channel, KEY_A).classify(request(""))).getCode())
              .isEqualTo(Status.Code.PERMISSION_DENIED);
        });
    withChannel(
        Optional.of(stranger),
        channel -> {
          Status refused =
              status(() -> ClassifierGrpc.newBlockingStub(channel).classify(request("")));
          assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(refused.getDescription())
              .contains("stranger.example")
              .contains("not registered");
          // A key still works over a connection with an unlisted certificate.
          assertThat(stub(channel, KEY_A).classify(request("")).getEffectiveTenant())
              .isEqualTo("district-a");
        });
  }

  @Test
  void newKeysAndRevocationsApplyWithoutARestart() throws Exception {
    String rotated = "sk-district-a-rotated-77aa";
    withChannel(
        Optional.empty(),
        channel -> {
          assertThat(status(() -> stub(channel, rotated).classify(request(""))).getCode())
              .isEqualTo(Status.Code.UNAUTHENTICATED);
          writeAuthFile(List.of(rotated), List.of(KEY_B));
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          boolean accepted = false;
          while (!accepted && System.nanoTime() < until) {
            try {
              accepted =
                  stub(channel, rotated)
                      .classify(request(""))
                      .getEffectiveTenant()
                      .equals("district-a");
            } catch (StatusRuntimeException e) {
              sleep(100);
            }
          }
          assertThat(accepted).isTrue();
          assertThat(status(() -> stub(channel, KEY_A).classify(request(""))).getCode())
              .isEqualTo(Status.Code.UNAUTHENTICATED);
        });
  }

  private void writeAuthFile(List<String> keysA, List<String> keysB) {
    StringBuilder yaml = new StringBuilder("tenants:\n  district-a:\n    api_keys:\n");
    keysA.forEach(k -> yaml.append("      - ").append(TenantCredentials.hash(k)).append('\n'));
    yaml.append("  district-b:\n    api_keys:\n");
    keysB.forEach(k -> yaml.append("      - ").append(TenantCredentials.hash(k)).append('\n'));
    yaml.append("    certificate_identities: [filter.district-b.example]\n");
    try {
      Path tmp = dir.resolve("clients.yaml.tmp");
      Files.writeString(tmp, yaml);
      Files.move(
          tmp, authFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface ChannelTest {
    void run(ManagedChannel channel) throws Exception;
  }

  private void withChannel(Optional<PemIdentity> identity, ChannelTest test) throws Exception {
    try (ClientSecurity client =
        ClientSecurity.of("test", TlsSettings.Mode.ON, Optional.of(caFile), identity)) {
      ManagedChannel channel = client.channelBuilder("localhost:" + launcher.port()).build();
      try {
        test.run(channel);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void plaintextClientsCannotReachTheTlsPort() throws Exception {
    ManagedChannel plain =
        NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
    try {
      assertThat(status(() -> stub(plain, KEY_A).classify(request(""))).getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ClassifierGrpc.ClassifierBlockingStub stub(ManagedChannel channel, String key) {
    return ClassifierGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(key)));
  }

  private static Metadata bearer(String key) {
    Metadata headers = new Metadata();
    headers.put(TenantAuthInterceptor.AUTHORIZATION, "Bearer " + key);
    return headers;
  }

  private static ClassifyRequest request(String tenant) {
    return ClassifyRequest.newBuilder()
        .setUrl("https://games.example/")
        .setTenantId(tenant)
        .build();
  }

  private static Status status(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
    throw new AssertionError("the call succeeded");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
