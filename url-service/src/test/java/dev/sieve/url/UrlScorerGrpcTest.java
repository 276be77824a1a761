package dev.sieve.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.url.table.KnownDomainTableLoader;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The url tier behind core's ScorerService, over an in-process gRPC channel. */
class UrlScorerGrpcTest {

  @TempDir static Path home;
  static Server server;
  static ManagedChannel channel;
  static ScorerGrpc.ScorerBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    Path dir = FixtureDatasets.install("table", home);
    UrlTierScorer scorer =
        new UrlTierScorer(
            KnownDomainTableLoader.forServing(Set.of()).load(DatasetVersion.open(dir)), null);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ScorerService(scorer))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ScorerGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void scoresAListedHost() {
    ScoreResponse response =
        stub.score(ScoreRequest.newBuilder().setUrl("https://casino.example.org/slots").build());
    assertThat(response.getScoresCount()).isEqualTo(1);
    assertThat(response.getScores(0).getCategory()).isEqualTo("gambling");
    assertThat(response.getScores(0).getDefinitive()).isTrue();
    assertThat(response.getScores(0).getEvidence(0).getDetail()).isEqualTo("casino.example.org");
  }

  @Test
  void badInputIsInvalidArgumentNeverInternal() {
    for (String url :
        new String[] {"", "javascript:alert(1)", "http://exa mple.com/", "http:///"}) {
      assertThatThrownBy(() -> stub.score(ScoreRequest.newBuilder().setUrl(url).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .as(url)
                      .isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void expiredDeadlineIsDroppedBeforeScoring() {
    assertThatThrownBy(
            () ->
                stub.withDeadlineAfter(0, TimeUnit.NANOSECONDS)
                    .score(ScoreRequest.newBuilder().setUrl("a.com").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void describeReportsLineage() {
    var description = stub.describe(DescribeRequest.getDefaultInstance());
    assertThat(description.getTier()).isEqualTo("url");
    assertThat(description.getModel().getDatasetVersion()).isEqualTo("ds-fixture-table");
    assertThat(description.getCategoriesList()).contains("gambling", "security_threat");
  }
}
