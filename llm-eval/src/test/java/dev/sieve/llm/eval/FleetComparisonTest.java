package dev.sieve.llm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fleet-vs-tiers harness against a TEST DOUBLE of the router (a peer module owned by another
 * engineer): an in-process {@code Classifier} whose per-tier scores are fixed functions of the
 * input, so the expected average precisions are known.
 */
class FleetComparisonTest {

  /**
   * url tier ranks gambling items perfectly; llm tier ranks them backwards; merged = url's score.
   */
  private static class FakeRouter extends ClassifierGrpc.ClassifierImplBase {
    /** What normal routing returns; the url tier's score here. */
    double merged(double url, double llm) {
      return url;
    }

    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> out) {
      boolean gambling = request.getUrl().contains("casino");
      double url = gambling ? 0.9 : 0.1;
      double llm = gambling ? 0.2 : 0.8;
      List<String> tiers = request.getTiersList();
      double score = tiers.equals(List.of("llm")) ? llm : tiers.isEmpty() ? merged(url, llm) : url;
      String tier = tiers.isEmpty() ? "url" : tiers.get(0);
      out.onNext(
          ClassifyResponse.newBuilder()
              .setRequestId(request.getRequestId())
              .addCategories(
                  CategoryVerdict.newBuilder()
                      .setCategory("gambling")
                      .setScore(score)
                      .addTiers(tier))
              .addTiers(TierStatus.newBuilder().setTier(tier).setState(TierState.TIER_STATE_OK))
              .build());
      out.onCompleted();
    }
  }

  @Test
  void comparesMergedVerdictsWithEachTierAlone() throws Exception {
    FleetComparison.Result result = run(new FakeRouter(), 5, 30);
    Map<String, FleetComparison.Cell> gambling = result.cells().get("gambling");
    assertThat(gambling.get("url only").averagePrecision()).isCloseTo(1.0, within(1e-12));
    assertThat(gambling.get("llm only").averagePrecision()).isCloseTo(0.5, within(1e-12));
    assertThat(gambling.get(FleetComparison.MERGED).averagePrecision())
        .isCloseTo(1.0, within(1e-12));
    assertThat(gambling.get("url only").covered()).isEqualTo(10);
    assertThat(result.bestSingleTier("gambling")).isCloseTo(1.0, within(1e-12));
    assertThat(FleetComparison.markdown(result))
        .contains("| gambling | 5 / 5 |")
        .contains("+0.000");
    assertThat(result.checks().get("gambling").status())
        .as("5 positives < 30")
        .isEqualTo(FleetComparison.INSUFFICIENT);
  }

  @Test
  void aMergeWorseThanTheBestTierIsCalledWorseAndAnEqualOneIsNot() throws Exception {
    assertThat(run(new FakeRouter(), 8, 5).checks().get("gambling").status())
        .isEqualTo(FleetComparison.NOT_WORSE);
    FleetComparison.Check worse =
        run(
                new FakeRouter() {
                  @Override
                  double merged(double url, double llm) {
                    return llm; // a merge that follows the backwards tier
                  }
                },
                8,
                5)
            .checks()
            .get("gambling");
    assertThat(worse.status()).isEqualTo(FleetComparison.WORSE);
    assertThat(worse.bestTier()).isEqualTo("url only");
    assertThat(worse.delta()).isNegative();
    assertThat(worse.upper()).isNegative();
  }

  /**
   * {@code pairs} gambling/news pairs through {@code router}; fewer positives than {@code
   * minPositives}: no verdict.
   */
  private static FleetComparison.Result run(FakeRouter router, int pairs, int minPositives)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name).directExecutor().addService(router).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      List<FleetComparison.Item> items = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        items.add(
            new FleetComparison.Item(
                "c" + i, "https://casino" + i + ".example/", null, Map.of("gambling", true)));
        items.add(
            new FleetComparison.Item(
                "n" + i, "https://news" + i + ".example/", null, Map.of("gambling", false)));
      }
      return new FleetComparison(
              ClassifierGrpc.newBlockingStub(channel), List.of("url", "llm"), 2, 5000)
          .statistics(minPositives, 200, 7)
          .run(items);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }
}
