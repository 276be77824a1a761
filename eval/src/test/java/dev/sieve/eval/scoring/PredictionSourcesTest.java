package dev.sieve.eval.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.grpc.ScorerService;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.Evaluator;
import dev.sieve.eval.Example;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.data.ProtectedSlices;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same examples scored in-process, over a tier's gRPC Scorer and through the router. */
class PredictionSourcesTest {

  /**
   * Scores "gambling" by keyword; refuses hosts containing "bad"; overloads on every first call to
   * "busy".
   */
  static final class KeywordTier implements TierScorer {
    final AtomicInteger busyCalls = new AtomicInteger();
    double outOfRange = -1;

    @Override
    public String tier() {
      return "url";
    }

    @Override
    public TierDescription describe() {
      return TierDescription.newBuilder()
          .setTier("url")
          .setModel(ModelInfo.newBuilder().setName("kw").setVersion("1"))
          .addCategories("gambling")
          .build();
    }

    @Override
    public ScoreResponse score(ScoreRequest r) throws ScoringException {
      FIELD.put("tier:" + r.getRequestId(), field(r.getUrl(), r.getHtml(), r.getText()));
      String in = r.getUrl().isEmpty() ? r.getText().toStringUtf8() : r.getUrl();
      if (in.contains("bad")) {
        throw ScoringException.invalidArgument("malformed host");
      }
      if (in.contains("busy") && busyCalls.getAndIncrement() == 0) {
        throw ScoringException.resourceExhausted("queue full");
      }
      assertThat(r.getForced()).isTrue();
      double s = outOfRange >= 0 ? outOfRange : in.contains("casino") ? 0.9 : 0.1;
      return ScoreResponse.newBuilder()
          .setTier("url")
          .addScores(CategoryScore.newBuilder().setCategory("gambling").setScore(s))
          .build();
    }
  }

  static final KeywordTier TIER = new KeywordTier();

  /** Which request field carried each input ("html:...", "text:...", "url:..."), by request id. */
  static final Map<String, String> FIELD = new ConcurrentHashMap<>();

  static String field(String url, ByteString html, ByteString text) {
    return !html.isEmpty()
        ? "html:" + html.toStringUtf8()
        : !text.isEmpty() ? "text:" + text.toStringUtf8() : "url:" + url;
  }

  static Server server;
  static String target;
  static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new ScorerService(TIER))
            .addService(
                new ClassifierGrpc.ClassifierImplBase() {
                  @Override
                  public void classify(
                      ClassifyRequest request, StreamObserver<ClassifyResponse> out) {
                    String in = field(request.getUrl(), request.getHtml(), request.getText());
                    FIELD.put(request.getRequestId(), in);
                    boolean casino = in.contains("casino");
                    // "shed": the content tier refuses the first two calls under load (a degraded
                    // verdict).
                    boolean degraded =
                        in.contains("shed")
                            && ATTEMPTS.merge(request.getRequestId(), 1, Integer::sum) <= 2;
                    out.onNext(
                        ClassifyResponse.newBuilder()
                            .setDegraded(degraded)
                            .setAction(casino ? Action.ACTION_BLOCK : Action.ACTION_ALLOW)
                            .setAlert(in.contains("crisis"))
                            .setPolicyId("default")
                            .setPolicyVersion("7")
                            .addCategories(
                                CategoryVerdict.newBuilder()
                                    .setCategory("gambling")
                                    .setThreshold(0.42)
                                    .setScore(casino ? 0.8 : 0.2)
                                    .addAllTiers(request.getTiersList())
                                    .addTiers("content"))
                            .addCategories(
                                CategoryVerdict.newBuilder()
                                    .setCategory("adult")
                                    .setScore(0.5)) // no tier: no opinion
                            .build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    target = "127.0.0.1:" + server.getPort();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
  }

  static List<Example> examples() {
    ProtectedSlices none = ProtectedSlices.none();
    return List.of(
        DatasetExamples.fromDomain(
            new DomainRecord(
                "casino.example",
                "casino.example",
                List.of("gambling"),
                List.of("gambling"),
                Map.of(),
                "test",
                List.of(),
                0),
            false,
            none),
        DatasetExamples.fromDomain(
            new DomainRecord(
                "bad.example",
                "bad.example",
                List.of(),
                List.of("*"),
                Map.of(),
                "test",
                List.of(),
                0),
            true,
            none),
        DatasetExamples.fromDomain(
            new DomainRecord(
                "busy.example",
                "busy.example",
                List.of(),
                List.of("*"),
                Map.of(),
                "test",
                List.of(),
                0),
            true,
            none),
        DatasetExamples.fromText(
            new TextRecord(
                "t1",
                "online casino bonus",
                List.of("gambling"),
                List.of("*"),
                "src",
                "post",
                "g",
                "test",
                Map.of()),
            none));
  }

  @Test
  void inProcessAndGrpcGiveTheSameScoresAndTheSameRejections() {
    TIER.busyCalls.set(0);
    Predictions local =
        new TierScorerSource(TIER, "in-process", 2, null).score(examples(), List.of("gambling"));
    TIER.busyCalls.set(0);
    GrpcTierScorer remote = new GrpcTierScorer(target, Duration.ofSeconds(5));
    Predictions viaGrpc;
    try (TierScorerSource src = new TierScorerSource(remote, "grpc", 2, remote)) {
      assertThat(src.model().orElseThrow().getName()).isEqualTo("kw");
      viaGrpc = src.score(examples(), List.of("gambling"));
    }
    for (Predictions p : List.of(local, viaGrpc)) {
      assertThat(p.scores().get("gambling")).containsExactly(0.9, Double.NaN, 0.1, 0.9);
      assertThat(p.rejected())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.id()).isEqualTo("domain:bad.example");
                assertThat(r.reason()).contains("malformed host");
              });
    }
  }

  @Test
  void outOfRangeScoresAreAContractViolationNotAData() {
    KeywordTier broken = new KeywordTier();
    broken.outOfRange = 1.5;
    assertThatThrownBy(
            () ->
                new TierScorerSource(broken, "broken", 1, null)
                    .score(examples().subList(0, 1), List.of("gambling")))
        .hasMessageContaining("outside [0, 1]");
  }

  @Test
  void routerClassifierWithATiersFilter() {
    try (ClassifierSource src =
        new ClassifierSource(target, List.of("url"), Duration.ofSeconds(5), 2)) {
      Predictions p = src.score(examples(), List.of("gambling", "adult"));
      assertThat(p.scores().get("gambling")[0]).isEqualTo(0.8);
      assertThat(p.scores().get("gambling")[1]).isEqualTo(0.2);
      assertThat(p.scores().get("adult")[0]).isNaN();
      assertThat(src.describe()).contains("tiers url");
    }
  }

  /** A real page and two ordinary texts, as the fleet card scores them. */
  static List<Example> pageAndTexts() {
    ProtectedSlices none = ProtectedSlices.none();
    return List.of(
        DatasetExamples.fromPage(
            new PageRecord(
                "p1",
                "<html><p>Online casino</p></html>",
                "Online casino",
                "",
                "",
                List.of(),
                List.of("*"),
                "pages/x",
                "page",
                "g",
                "test",
                Map.of()),
            none),
        DatasetExamples.fromText(
            new TextRecord(
                "t1",
                "call the crisis line",
                List.of(),
                List.of("*"),
                "src",
                "post",
                "g",
                "test",
                Map.of()),
            none),
        DatasetExamples.fromText(
            new TextRecord(
                "t2", "a recipe", List.of(), List.of("*"), "src", "post", "g", "test", Map.of()),
            none));
  }

  @Test
  void aTierReceivesAPageAsHtmlAndATextAsText() {
    new TierScorerSource(new KeywordTier(), "in-process", 1, null)
        .score(pageAndTexts(), List.of("gambling"));
    assertThat(FIELD.get("tier:page:p1")).isEqualTo("html:<html><p>Online casino</p></html>");
    assertThat(FIELD.get("tier:text:t1")).isEqualTo("text:call the crisis line");
  }

  /**
   * The fleet card's source: every verdict's action and alert, the policy and thresholds applied.
   */
  @Test
  void routerClassifierWithoutFilterKeepsWhatEachVerdictDid() {
    List<Example> ex = pageAndTexts();
    try (ClassifierSource src = new ClassifierSource(target, List.of(), Duration.ofSeconds(5), 2)) {
      Predictions p = src.score(ex, List.of("gambling"));
      assertThat(FIELD.get("page:p1")).startsWith("html:");
      assertThat(FIELD.get("text:t2")).isEqualTo("text:a recipe");
      assertThat(p.scores().get("gambling")).containsExactly(0.8, 0.2, 0.2);
      Evaluator.Served served = src.served(ex);
      assertThat(served.blocked()).containsExactly(true, false, false);
      assertThat(served.alerted()).containsExactly(false, true, false);
      // Aligned with whatever example list is asked for, not with call order.
      assertThat(src.served(List.of(ex.get(1), ex.get(0))).blocked()).containsExactly(false, true);
      assertThat(src.policyThresholds()).containsEntry("gambling", 0.42);
      assertThat(src.policy()).containsEntry("id", "default").containsEntry("version", "7");
    }
  }

  /**
   * A verdict the fleet decided without a tier (shed under the evaluation's own load) is asked
   * again.
   */
  @Test
  void aDegradedVerdictIsAskedAgainAndCounted() {
    ProtectedSlices none = ProtectedSlices.none();
    List<Example> ex =
        List.of(
            DatasetExamples.fromText(
                new TextRecord(
                    "shed1",
                    "shed casino night",
                    List.of("gambling"),
                    List.of("*"),
                    "src",
                    "post",
                    "g",
                    "test",
                    Map.of()),
                none));
    try (ClassifierSource src = new ClassifierSource(target, List.of(), Duration.ofSeconds(5), 1)) {
      Predictions p = src.score(ex, List.of("gambling"));
      assertThat(p.scores().get("gambling")).containsExactly(0.8);
      assertThat(src.degradedCounts()).containsExactly(2, 0);
    }
  }

  @Test
  void predictionsFileRoundTrip(@TempDir Path dir) {
    List<Example> ex = examples();
    Predictions p =
        new TierScorerSource(TIER, "in-process", 1, null).score(ex, List.of("gambling"));
    Path file = dir.resolve("p.jsonl.gz");
    PredictionsFile.write(file, ex, p.scores());
    Predictions back = new PredictionsFile(file).score(ex, List.of("gambling"));
    assertThat(back.scores().get("gambling")).containsExactly(p.scores().get("gambling"));
    assertThat(back.rejected())
        .isEmpty(); // the refused input is written with no scores, still present
  }

  @Test
  void missingProviderNamesTheAvailableTiers() {
    assertThatThrownBy(() -> ScorerFactory.create("nope", ScorerContext.of(Path.of("."), null)))
        .hasMessageContaining("no in-process scorer for tier 'nope'")
        .hasMessageContaining("fixture");
  }
}
