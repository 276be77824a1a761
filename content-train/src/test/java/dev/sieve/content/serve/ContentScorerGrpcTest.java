package dev.sieve.content.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.content.ContentTier;
import dev.sieve.content.TestModels;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.Evidence;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content tier end to end over in-process gRPC: real encoder, a tiny real head, the batcher,
 * and the documented answer to every kind of bad input.
 */
class ContentScorerGrpcTest {

  @TempDir static Path modelDir;

  private static ContentTier tier;
  private static Server server;
  private static ManagedChannel channel;
  private static ScorerGrpc.ScorerBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    try (OnnxSentenceEncoder encoder =
        OnnxSentenceEncoder.load(
            new OnnxSentenceEncoder.Options(EncoderVariant.QUANTIZED, 1, 1, 1, false))) {
      TestModels.tinyModel(modelDir, encoder);
    }
    tier =
        ContentTier.open(
            new ContentTier.Options(
                modelDir,
                false,
                0,
                new BatcherConfig(8, Duration.ofMillis(2), 16, 1),
                ExtractionLimits.defaults()));
    tier.warmUp();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new ScorerService(tier.scorer()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = ScorerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    tier.close();
  }

  private static ScoreResponse scoreHtml(String html) {
    return stub.score(ScoreRequest.newBuilder().setHtml(ByteString.copyFromUtf8(html)).build());
  }

  private static ScoreResponse scoreText(String text) {
    return stub.score(ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8(text)).build());
  }

  private static double score(ScoreResponse response, String category) {
    return response.getScoresList().stream()
        .filter(s -> s.getCategory().equals(category))
        .mapToDouble(CategoryScore::getScore)
        .findFirst()
        .orElseThrow();
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void scoresHtmlWithChunkEvidence() {
    ScoreResponse casino =
        scoreHtml(
            "<html><head><title>Lucky Casino</title></head><body><nav><a href='/s'>Slots</a></nav>"
                + "<p>Play roulette and poker, claim your deposit bonus and win the jackpot.</p>"
                + "<footer>Terms</footer></body></html>");
    ScoreResponse school =
        scoreHtml(
            "<html><head><title>Maple Elementary School</title></head><body>"
                + "<p>Our teachers share lesson plans and homework help for every grade.</p></body></html>");
    assertThat(casino.getTier()).isEqualTo("content");
    assertThat(casino.getModel().getName()).isEqualTo(ContentTier.MODEL_NAME);
    assertThat(casino.getModel().getConfigHash()).hasSize(64);
    assertThat(casino.getModel().getDatasetVersion()).isEqualTo("ds-test");
    assertThat(score(casino, "gambling")).isGreaterThan(score(school, "gambling"));
    assertThat(score(school, "education")).isGreaterThan(score(casino, "education"));
    CategoryScore gambling =
        casino.getScoresList().stream()
            .filter(s -> s.getCategory().equals("gambling"))
            .findFirst()
            .orElseThrow();
    assertThat(gambling.getEvidenceList()).isNotEmpty();
    Evidence top = gambling.getEvidence(0);
    assertThat(top.getKind()).isEqualTo(Evidence.Kind.KIND_TEXT_SPAN);
    assertThat(top.getCategory()).isEqualTo("gambling");
    assertThat(top.getDetail()).isNotBlank();
    assertThat(top.getSource()).startsWith("chunk ").contains("lang=en");
    assertThat(top.getWeight()).isBetween(0.0, 1.0);
    assertThat(casino.getNormalizedInput()).startsWith("html lang=en").contains("chunks=");
  }

  @Test
  void scoresPlainText() {
    ScoreResponse response = scoreText("Bet on tonight's match and spin the slots for free chips.");
    assertThat(response.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("gambling", "education");
    assertThat(score(response, "gambling")).isGreaterThan(0.5);
    assertThat(response.getNormalizedInput()).startsWith("text ");
  }

  @Test
  void requestedCategoriesFilterTheAnswer() {
    ScoreResponse response =
        stub.score(
            ScoreRequest.newBuilder()
                .setText(ByteString.copyFromUtf8("Homework help for fractions."))
                .addCategories("education")
                .addCategories("adult")
                .build());
    // adult is a taxonomy category this model does not serve: absent = no opinion.
    assertThat(response.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("education");
    assertThat(
            codeOf(
                () ->
                    stub.score(
                        ScoreRequest.newBuilder()
                            .setText(ByteString.copyFromUtf8("x"))
                            .addCategories("not_a_category")
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void describeListsServedCategories() {
    TierDescription description = stub.describe(DescribeRequest.getDefaultInstance());
    assertThat(description.getTier()).isEqualTo("content");
    assertThat(description.getCategoriesList()).containsExactly("gambling", "education");
    assertThat(description.getModel().getVersion()).isEqualTo("test-0");
  }

  // ----- bad input, each with its documented answer

  @Test
  void emptyRequestIsInvalidArgument() {
    assertThat(codeOf(() -> stub.score(ScoreRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void pageWithoutTextGetsNoOpinions() {
    ScoreResponse response =
        scoreHtml("<html><head><script>var x = 1;</script></head><body>   </body></html>");
    assertThat(response.getScoresList()).isEmpty();
    assertThat(response.getNormalizedInput()).contains("chunks=0").contains("no_text");
  }

  @Test
  void oversizedBodyIsResourceExhaustedBeforeParsing() {
    ByteString fifty = ByteString.copyFrom(new byte[50 * 1024 * 1024]);
    // Zero bytes would also be "binary": the size check must come first.
    assertThat(codeOf(() -> stub.score(ScoreRequest.newBuilder().setHtml(fifty).build())))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    ByteString justOver =
        ByteString.copyFromUtf8("a".repeat(ExtractionLimits.DEFAULT_MAX_BODY_BYTES + 1));
    assertThat(codeOf(() -> stub.score(ScoreRequest.newBuilder().setText(justOver).build())))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void binaryContentIsInvalidArgument() {
    byte[] binary = {'<', 'h', 't', 0, 0, 1, 2, 3};
    assertThat(
            codeOf(
                () ->
                    stub.score(
                        ScoreRequest.newBuilder().setHtml(ByteString.copyFrom(binary)).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    ByteString pdf = ByteString.copyFromUtf8("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj");
    StatusRuntimeException e =
        Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> stub.score(ScoreRequest.newBuilder().setHtml(pdf).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("pdf");
  }

  @Test
  void invalidUtf8IsInvalidArgument() {
    ByteString bad = ByteString.copyFrom(new byte[] {'c', 'a', 'f', (byte) 0xC3, 0x28, 'x'});
    StatusRuntimeException e =
        Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> stub.score(ScoreRequest.newBuilder().setText(bad).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("text").contains("UTF-8");
  }

  @Test
  void deeplyNestedHtmlIsScored() {
    String html =
        "<html><body>"
            + "<div>".repeat(10_000)
            + "Play poker and slots at the casino."
            + "</div>".repeat(10_000)
            + "</body></html>";
    ScoreResponse response = scoreHtml(html);
    assertThat(response.getScoresList()).isNotEmpty();
  }

  @Test
  void malformedHtmlIsScored() {
    ScoreResponse response =
        scoreHtml("<p>Roulette <b>and <i>poker</b> bonus</i><td>jackpot<div></span>");
    assertThat(response.getScoresList()).isNotEmpty();
  }

  @Test
  void nonEnglishTextIsScoredWithTheLanguageHint() {
    ScoreResponse response =
        scoreText("Spielen Sie Roulette und Poker im Online-Casino und gewinnen Sie den Jackpot.");
    assertThat(response.getScoresList()).isNotEmpty();
    assertThat(response.getNormalizedInput()).contains("lang=und");
    assertThat(response.getScores(0).getEvidence(0).getSource()).contains("lang=und");
  }

  @Test
  void expiredDeadlineIsDeadlineExceeded() {
    assertThat(
            codeOf(
                () ->
                    ScorerGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                        .score(
                            ScoreRequest.newBuilder()
                                .setText(ByteString.copyFromUtf8("hello"))
                                .build())))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void scoresAreTheSameAloneAndInABatch() throws Exception {
    String text = "Claim free spins at the casino.";
    double alone = score(scoreText(text), "gambling");
    var futures = new ArrayList<Future<ScoreResponse>>();
    var pool = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 6; i++) {
        String t = i == 0 ? text : "Neighbour text number " + i + " about gardening and cooking.";
        futures.add(pool.submit(() -> scoreText(t)));
      }
      assertThat(score(futures.get(0).get(60, TimeUnit.SECONDS), "gambling")).isEqualTo(alone);
    } finally {
      pool.shutdownNow();
    }
    assertThatThrownBy(() -> score(scoreText("x"), "adult"))
        .isInstanceOf(NoSuchElementException.class);
  }
}
