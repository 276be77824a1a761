package dev.sieve.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CatalogWatcher;
import dev.sieve.llm.category.CategoryFiles;
import dev.sieve.llm.input.InputRenderer;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier over gRPC (in-process transport, core's ScorerService adapter) with the real MiniLM
 * encoder and a hot-reloadable copy of the shipped category files.
 */
class LlmScorerGrpcTest {

  @TempDir Path categories;
  private CatalogWatcher watcher;
  private Server server;
  private ManagedChannel channel;
  private ScorerGrpc.ScorerBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    for (String name : CategoryFiles.ALL) {
      Files.copy(TestFixtures.CATEGORIES_DIR.resolve(name), categories.resolve(name));
    }
    ScoringBackend backend = TestFixtures.embedded(4);
    watcher =
        new CatalogWatcher(categories, CatalogLoader.fromDirectory(categories), backend::prepare);
    LlmTierScorer scorer =
        new LlmTierScorer(watcher, backend, new InputRenderer(), Duration.ofSeconds(10));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ScorerService(scorer))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ScorerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    watcher.close();
  }

  private static ScoreRequest.Builder text(String text) {
    return ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8(text)).setRequestId("r1");
  }

  @Test
  void describeListsCoreHarmfulAndEmergingCategories() {
    TierDescription description = stub.describe(DescribeRequest.getDefaultInstance());
    assertThat(description.getTier()).isEqualTo("llm");
    assertThat(description.getCategoriesList())
        .containsExactly(
            "adult",
            "sex_education",
            "violence",
            "self_harm",
            "self_harm_help",
            "weapons",
            "drugs",
            "gambling",
            "hate",
            "ai_chatbots",
            "cheating");
    assertThat(description.getModel().getName()).isEqualTo("llm-zero-shot");
    assertThat(description.getModel().getConfigHash()).hasSize(64);
  }

  @Test
  void emptyCategoryListScoresEverythingCoveredAllMarkedZeroShot() {
    ScoreResponse response =
        stub.score(
            text("Chat with our AI assistant: it writes essays, answers any question and generates code for free.")
                .build());
    assertThat(response.getTier()).isEqualTo("llm");
    assertThat(response.getScoresList()).hasSize(11).allMatch(CategoryScore::getZeroShot);
    CategoryScore top =
        response.getScoresList().stream()
            .max(Comparator.comparingDouble(CategoryScore::getScore))
            .orElseThrow();
    assertThat(top.getCategory()).isEqualTo("ai_chatbots");
    assertThat(response.getModel().getName()).isEqualTo("llm-zero-shot");
  }

  @Test
  void anySubsetIsScoredInCatalogOrderAndUncoveredCategoriesAreLeftOut() {
    ScoreRequest request =
        text("Bet on tonight's football match with the best odds and a free bet bonus.")
            .addCategories("cheating")
            .addCategories("news")
            .addCategories("gambling")
            .addCategories("gambling")
            .build();
    ScoreResponse normal = stub.score(request);
    assertThat(normal.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("gambling", "cheating");
    assertThat(normal.getScores(0).getScore()).isGreaterThan(normal.getScores(1).getScore());
    ScoreResponse forced = stub.score(request.toBuilder().setForced(true).build());
    assertThat(forced.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("gambling", "cheating");
    assertThat(forced.getScores(0).getScore()).isEqualTo(normal.getScores(0).getScore());

    ScoreResponse none = stub.score(text("hello").addCategories("news").build());
    assertThat(none.getScoresList()).isEmpty();
  }

  @Test
  void urlOnlyRequestCarriesTheNormalizedUrl() {
    ScoreResponse response =
        stub.score(ScoreRequest.newBuilder().setUrl("HTTPS://ChatBot-AI.example/Chat?u=7").build());
    assertThat(response.getNormalizedInput())
        .isEqualTo("https://chatbot-ai.example/Chat?<redacted>");
    assertThat(response.getScoresList()).hasSize(11);
  }

  @Test
  void badInputIsInvalidArgumentOverTheWire() {
    assertThatThrownBy(
            () ->
                stub.score(
                    ScoreRequest.newBuilder()
                        .setText(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFE}))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> stub.score(ScoreRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void aHotReloadedEmergingCategoryIsDescribedAndScoredZeroShot() throws Exception {
    Path emerging = categories.resolve("emerging.yaml");
    Files.writeString(
        emerging,
        Files.readString(emerging)
            + """
          - id: crypto_trading
            display_name: Crypto trading
            description: Buy, sell and trade bitcoin and other crypto coins on an exchange, trading signals.
            default_action: allow
        """);
    Files.setLastModifiedTime(emerging, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(watcher.pollOnce()).isTrue();

    assertThat(stub.describe(DescribeRequest.getDefaultInstance()).getCategoriesList())
        .endsWith("crypto_trading");
    ScoreResponse response =
        stub.score(
            text("Trade Bitcoin and Ethereum with zero fees on our crypto exchange.")
                .addCategories("crypto_trading")
                .addCategories("gambling")
                .build());
    assertThat(response.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("gambling", "crypto_trading");
    assertThat(response.getScores(1).getZeroShot()).isTrue();
    assertThat(response.getScores(1).getScore()).isGreaterThan(0.5);
  }

  @Test
  void fullBackendIsResourceExhaustedOverTheWire() throws Exception {
    LlmTierScorer full =
        new LlmTierScorer(
            watcher, TestFixtures.embedded(0), new InputRenderer(), Duration.ofSeconds(1));
    String name = InProcessServerBuilder.generateName();
    Server other =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ScorerService(full))
            .build()
            .start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      assertThatThrownBy(() -> ScorerGrpc.newBlockingStub(ch).score(text("hello").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    } finally {
      ch.shutdownNow();
      other.shutdownNow();
    }
  }
}
