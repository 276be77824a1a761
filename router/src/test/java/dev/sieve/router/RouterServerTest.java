package dev.sieve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.GrpcServerLauncher;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.router.policy.CoreCategories;
import dev.sieve.router.policy.PolicyStore;
import dev.sieve.router.support.FakeTier;
import dev.sieve.router.support.RouterHarness;
import dev.sieve.router.tier.ResilienceSettings;
import dev.sieve.router.tier.TierClient;
import dev.sieve.router.tier.TierFleet;
import dev.sieve.router.tier.TierName;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The router behind a real Netty server, as RouterMain runs it (health, message-size limit). */
class RouterServerTest {

  @Test
  void servesHealthAndRejectsOversizedMessagesBeforeParsing() throws Exception {
    int maxBody = 1024;
    FakeTier content = new FakeTier("content", Taxonomy.v1().ids()).answer(Map.of("news", 0.6));
    try (RouterHarness h =
        RouterHarness.builder().tier(TierName.CONTENT, content).maxBodyBytes(maxBody).build()) {
      GrpcServerLauncher launcher = h.router().serve();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", launcher.port()).usePlaintext().build();
      try {
        HealthCheckResponse health =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("sieve.v1.Classifier").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        ClassifierGrpc.ClassifierBlockingStub stub =
            ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        ClassifyResponse ok =
            stub.classify(
                ClassifyRequest.newBuilder().setText(ByteString.copyFromUtf8("fine")).build());
        assertThat(ok.getCategoriesCount()).isEqualTo(Taxonomy.v1().size());

        assertThatThrownBy(
                () ->
                    stub.classify(
                        ClassifyRequest.newBuilder()
                            .setText(ByteString.copyFrom(new byte[maxBody + 10]))
                            .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                  assertThat(e.getStatus().getDescription())
                      .startsWith("body (html + text) is 1034 bytes");
                });
        assertThatThrownBy(
                () ->
                    stub.classify(
                        ClassifyRequest.newBuilder()
                            .setText(ByteString.copyFrom(new byte[200 * 1024]))
                            .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(content.calls()).isEqualTo(1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void connectsToTiersByTargetWithDnsRoundRobinAndReportsUnsetTargetsNotDeployed()
      throws Exception {
    FakeTier urlTier = new FakeTier("url", Taxonomy.v1().ids()).answer(Map.of("gambling", 0.9));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(urlTier)
            .build()
            .start();
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    targets.put(TierName.URL, "dns:///127.0.0.1:" + server.getPort());
    targets.put(TierName.CONTENT, " ");
    // This checks wiring, not speed: the url tier's production budget (100 ms) is not a promise a
    // cold JVM on a busy 2-core machine can keep for its first call.
    TierFleet fleet =
        TierFleet.connect(
            targets,
            t -> ResilienceSettings.defaults(t).withTimeout(Duration.ofSeconds(10)),
            Duration.ofMillis(5),
            List.of());
    try (Router router =
        new Router(
            RouterSettings.fromEnvironment(),
            PolicyStore.open(null),
            fleet,
            new SimpleMeterRegistry(),
            Ticker.systemTicker())) {
      assertThat(fleet.deployed(TierName.CONTENT)).isFalse();
      fleet.refreshCoverage(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
      assertThat(fleet.client(TierName.URL).coverage().described()).isTrue();
      ClassifyResponse response =
          router
              .engine()
              .classify(ClassifyRequest.newBuilder().setUrl("https://bet.example/").build(), null)
              .get(20, TimeUnit.SECONDS);
      assertThat(response.getTiers(0).getState()).isEqualTo(TierState.TIER_STATE_OK);
      assertThat(response.getTiers(1).getState()).isEqualTo(TierState.TIER_STATE_NOT_DEPLOYED);
      assertThat(response.getPolicyId()).isEqualTo("k12-default");
      assertThat(response.getAction()).isEqualTo(Action.ACTION_BLOCK);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTierStillLoadingItsModelIsNotTakenAsCoveringNothing() throws Exception {
    // A serving tier answers Describe before its model has loaded, naming no categories
    // (core's DeferredScorer). That must not replace the fail-closed startup assumption: with it,
    // a url or content outage in the next refresh period would have blocked nothing.
    FakeTier content = new FakeTier("content", List.of());
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(content)
            .build()
            .start();
    try {
      Map<TierName, String> targets = new EnumMap<>(TierName.class);
      targets.put(TierName.CONTENT, "127.0.0.1:" + server.getPort());
      TierFleet fleet =
          TierFleet.connect(targets, ResilienceSettings::defaults, Duration.ofMillis(5), List.of());
      TierClient client = fleet.client(TierName.CONTENT);
      client.refreshCoverage(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertThat(client.coverage().described()).as("loading: not described yet").isFalse();
      assertThat(client.coverage().coversCore(0))
          .as("still assumed to cover every core category (fails closed)")
          .isTrue();

      content.describes(List.of("adult"));
      client.refreshCoverage(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertThat(client.coverage().described()).as("loaded: described").isTrue();
      assertThat(client.coverage().coversCore(CoreCategories.indexOf("adult"))).isTrue();
      assertThat(client.coverage().coversCore(CoreCategories.indexOf("gambling"))).isFalse();
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTierThatComesUpAfterTheRouterIsDescribedWithinSecondsNotAfterAFullRefreshPeriod()
      throws Exception {
    FakeTier llm = new FakeTier("llm", List.of("hate", "ai_homework_tools"));
    Server probe =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(llm)
            .build()
            .start();
    int port = probe.getPort();
    probe.shutdownNow().awaitTermination(5, TimeUnit.SECONDS); // the tier is not up yet
    Map<TierName, String> targets = new EnumMap<>(TierName.class);
    targets.put(TierName.LLM, "127.0.0.1:" + port);
    TierFleet fleet =
        TierFleet.connect(targets, ResilienceSettings::defaults, Duration.ofMillis(5), List.of());
    Server late = null;
    try (Router router =
        new Router(
            RouterSettings.fromEnvironment(), // Describe refresh period: 30 s
            PolicyStore.open(null),
            fleet,
            new SimpleMeterRegistry(),
            Ticker.systemTicker())) {
      router.startBackgroundTasks();
      Thread.sleep(1500);
      assertThat(fleet.client(TierName.LLM).coverage().described()).isFalse();
      late =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
              .addService(llm)
              .build()
              .start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!fleet.client(TierName.LLM).coverage().described() && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertThat(fleet.client(TierName.LLM).coverage().described()).isTrue();
      assertThat(fleet.client(TierName.LLM).coverage().emerging())
          .containsExactly("ai_homework_tools");
    } finally {
      if (late != null) {
        late.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
