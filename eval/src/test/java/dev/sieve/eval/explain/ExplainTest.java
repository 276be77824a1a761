package dev.sieve.eval.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.cli.ExplainCommand;
import dev.sieve.eval.explain.ProposedAction.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExplainTest {

  private static final Evidence LIST =
      Evidence.newBuilder()
          .setKind(Evidence.Kind.KIND_LIST_MATCH)
          .setCategory("gambling")
          .setDetail("bet7win.net")
          .setSource("blocklistproject/gambling")
          .build();

  static ClassifyResponse response(double score, double threshold, Evidence... evidence) {
    ClassifyResponse.Builder b =
        ClassifyResponse.newBuilder()
            .setRequestId("r")
            .setAction(
                score >= threshold
                    ? dev.sieve.proto.v1.Action.ACTION_BLOCK
                    : dev.sieve.proto.v1.Action.ACTION_ALLOW)
            .setPrimaryCategory(score >= threshold ? "gambling" : "")
            .setPolicyId("default")
            .setPolicyVersion("1")
            .addCategories(
                CategoryVerdict.newBuilder()
                    .setCategory("gambling")
                    .setScore(score)
                    .setThreshold(threshold)
                    .setDecision(score >= threshold)
                    .addTiers("url"))
            .addCategories(
                CategoryVerdict.newBuilder().setCategory("adult").setScore(0.01).setThreshold(0.5))
            .addTiers(
                TierStatus.newBuilder()
                    .setTier("url")
                    .setState(TierState.TIER_STATE_OK)
                    .setLatencyMicros(40)
                    .setModel(
                        ModelInfo.newBuilder()
                            .setName("url-lexical")
                            .setVersion("1.0.0")
                            .setDatasetVersion("ds-fixture-1")))
            .addTiers(
                TierStatus.newBuilder().setTier("llm").setState(TierState.TIER_STATE_NOT_DEPLOYED));
    for (Evidence e : evidence) {
      b.addReasons(Reason.newBuilder().setCategory(e.getCategory()).setTier("url").setEvidence(e));
    }
    return b.build();
  }

  static Neighbour near(
      String host,
      double sim,
      List<String> labels,
      Map<String, List<String>> sources,
      List<String> flags) {
    return new Neighbour(host, sim, "char-3-gram Jaccard", labels, labels, sources, flags, "train");
  }

  @Test
  void rulesFireInOrder() {
    ActionRules rules = ActionRules.defaults();
    Focus fp = new Focus("gambling", "false_positive", 0.9, 0.5);
    DomainRecord noisy =
        new DomainRecord(
            "bet7win.net",
            "bet7win.net",
            List.of("gambling"),
            List.of("gambling"),
            Map.of("blocklistproject/gambling", List.of("gambling")),
            "train",
            List.of("infrastructure"),
            0);
    // R1: list entry from a noisy source
    ProposedAction r1 =
        rules.decide(
            fp,
            List.of(LIST),
            List.of(),
            h -> h.equals("bet7win.net") ? Optional.of(noisy) : Optional.empty());
    assertThat(r1.action()).isEqualTo(Action.RELABEL);
    assertThat(r1.rule()).isEqualTo("R1");
    assertThat(r1.rationale()).contains("bet7win.net").contains("infrastructure");
    // R2: policy rule
    Evidence rule =
        Evidence.newBuilder()
            .setKind(Evidence.Kind.KIND_RULE)
            .setCategory("gambling")
            .setDetail("deny override")
            .build();
    assertThat(rules.decide(fp, List.of(rule), List.of(), h -> Optional.empty()).action())
        .isEqualTo(Action.ADD_RULE);
    // R3: near the threshold
    Focus close = new Focus("gambling", "false_positive", 0.53, 0.5);
    List<Neighbour> nearOnes =
        List.of(
            near(
                "bet8win.net",
                0.6,
                List.of("gambling"),
                Map.of("ut1/gambling", List.of("gambling")),
                List.of()));
    assertThat(rules.decide(close, List.of(), nearOnes, h -> Optional.empty()).action())
        .isEqualTo(Action.CHANGE_THRESHOLD);
    // R4: nothing similar in training
    List<Neighbour> far = List.of(near("zzz.org", 0.1, List.of(), Map.of(), List.of()));
    ProposedAction r4 = rules.decide(fp, List.of(), far, h -> Optional.empty());
    assertThat(r4.action()).isEqualTo(Action.ADD_DATA);
    assertThat(r4.rule()).isEqualTo("R4");
    // R5: neighbours carry the label from a noisy source
    List<Neighbour> noisyNear =
        List.of(
            near(
                "bet8win.net",
                0.7,
                List.of("gambling"),
                Map.of("blocklistproject/gambling", List.of("gambling")),
                List.of()));
    assertThat(rules.decide(fp, List.of(), noisyNear, h -> Optional.empty()).rule())
        .isEqualTo("R5");
    // R6: otherwise add data
    assertThat(
            rules
                .decide(
                    new Focus("gambling", "false_negative", 0.1, 0.5),
                    List.of(),
                    nearOnes,
                    h -> Optional.empty())
                .rule())
        .isEqualTo("R6");
  }

  @Test
  void focusFollowsTheExpectation() {
    ClassifyResponse blocked = response(0.9, 0.5, LIST);
    assertThat(Explainer.focus(Optional.of(blocked), Set.of()).kind()).isEqualTo("false_positive");
    assertThat(Explainer.focus(Optional.of(blocked), null).kind()).isEqualTo("verdict");
    assertThat(Explainer.focus(Optional.of(blocked), Set.of("gambling")).kind())
        .isEqualTo("agrees");
    ClassifyResponse allowed = response(0.2, 0.5);
    Focus fn = Explainer.focus(Optional.of(allowed), Set.of("gambling"));
    assertThat(fn.kind()).isEqualTo("false_negative");
    assertThat(fn.score()).isEqualTo(0.2);
  }

  @Test
  void hostNeighboursPreferTheSameRegisteredDomainThenTrigramJaccard() {
    assertThat(
            NeighbourIndex.jaccard(NeighbourIndex.trigrams("abc"), NeighbourIndex.trigrams("abc")))
        .isEqualTo(1.0);
    // ^ab abc bc$ vs ^ab abd bd$: 1 shared of 5
    assertThat(
            NeighbourIndex.jaccard(NeighbourIndex.trigrams("abc"), NeighbourIndex.trigrams("abd")))
        .isEqualTo(0.2);
    DomainRecord a =
        new DomainRecord(
            "www.casino-royal.com",
            "casino-royal.com",
            List.of("gambling"),
            List.of("gambling"),
            Map.of("ut1/gambling", List.of("gambling")),
            "train",
            List.of(),
            0);
    DomainRecord b =
        new DomainRecord(
            "casino-regal.com",
            "casino-regal.com",
            List.of("gambling"),
            List.of("gambling"),
            Map.of(),
            "train",
            List.of(),
            0);
    DomainRecord c =
        new DomainRecord(
            "school.edu", "school.edu", List.of(), List.of("*"), Map.of(), "train", List.of(), 5);
    NeighbourIndex index = new NeighbourIndex(List.of(c, b, a), Map.of(), List.of());
    List<Neighbour> n = index.nearestHosts("shop.casino-royal.com", "casino-royal.com", 2);
    assertThat(n.get(0).input()).isEqualTo("www.casino-royal.com");
    assertThat(n.get(0).how()).isEqualTo("same registered domain");
    assertThat(n.get(1).input()).isEqualTo("casino-regal.com");
  }

  @Test
  void textNeighboursByTfIdfCosine(@TempDir Path home) {
    Fixtures.dataset(home, "ds-fixture-1");
    NeighbourIndex index =
        NeighbourIndex.load(DatasetVersion.current(home.resolve("data/datasets")), false, true);
    List<Neighbour> n = index.nearestTexts("online casino tonight", 3);
    assertThat(n).isNotEmpty();
    assertThat(n.get(0).input()).contains("casino");
    assertThat(n.get(0).labels()).containsExactly("gambling");
    assertThat(n.get(0).sources()).containsKey("fixture");
    assertThat(n.get(0).similarity()).isBetween(0.0, 1.0);
  }

  @Test
  void explainCallsTheRouterAndWritesAnRcaEndingInAnAction(@TempDir Path home) throws Exception {
    Fixtures.dataset(home, "ds-fixture-1");
    AtomicReference<ClassifyRequest> seen = new AtomicReference<>();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new ClassifierGrpc.ClassifierImplBase() {
                  @Override
                  public void classify(
                      ClassifyRequest request, StreamObserver<ClassifyResponse> out) {
                    seen.set(request);
                    out.onNext(
                        response(
                            0.91,
                            0.5,
                            LIST,
                            Evidence.newBuilder()
                                .setKind(Evidence.Kind.KIND_FEATURE)
                                .setCategory("gambling")
                                .setDetail("token:win")
                                .setWeight(1.7)
                                .setSource("url-lexical")
                                .build()));
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    try {
      Path rca = home.resolve("rca.md");
      int code =
          new CommandLine(new ExplainCommand())
              .execute(
                  "http://bet7win.net/promo",
                  "--target",
                  "127.0.0.1:" + server.getPort(),
                  "--home",
                  home.toString(),
                  "--expected",
                  "none",
                  "--out",
                  rca.toString());
      assertThat(code).isZero();
      assertThat(seen.get().getTiersList()).containsExactly("url", "llm");
      assertThat(seen.get().getBypassCache()).isTrue();
      String md = Files.readString(rca);
      assertThat(md)
          .startsWith("# RCA: http://bet7win.net/promo")
          .contains("## 1. Verdict")
          .contains("| gambling | 0.910 | 0.500 | yes | url |")
          .contains("## 2. Evidence by tier")
          .contains("LIST_MATCH")
          .contains("token:win")
          .contains("## 3. Nearest training examples")
          .contains("same registered domain")
          .contains("blocklistproject/gambling -> gambling")
          .contains("## 5. Proposed action")
          .contains("**RELABEL** (rule R1)");
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void explainConsultsOnlyTheTiersThatCanReadTheInputUnlessTold() {
    ExplainCommand c = new ExplainCommand();
    assertThat(c.tiersFor(null, "some page text")).containsExactly("content", "llm");
    assertThat(c.tiersFor("https://x.example/", null)).containsExactly("url", "llm");
    assertThat(c.tiersFor("https://x.example/", "text")).containsExactly("url", "content", "llm");
    new CommandLine(c).parseArgs("--tiers", "url");
    assertThat(c.tiersFor(null, "text")).containsExactly("url");
  }

  @Test
  void explainStillWritesAnRcaWhenTheRouterIsDown(@TempDir Path home) throws Exception {
    Fixtures.dataset(home, "ds-fixture-1");
    Path rca = home.resolve("rca.md");
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int code =
        new CommandLine(new ExplainCommand())
            .execute(
                "--text",
                "win big at the online casino tonight",
                "--target",
                "127.0.0.1:" + port,
                "--home",
                home.toString(),
                "--expected",
                "gambling",
                "--out",
                rca.toString(),
                "--deadline",
                "2s");
    assertThat(code).isZero();
    String md = Files.readString(rca);
    assertThat(md)
        .contains("No verdict: router at 127.0.0.1:" + port + " answered UNAVAILABLE")
        .contains("TF-IDF cosine")
        .contains("## 5. Proposed action");
    List<String> actions = new ArrayList<>();
    for (Action a : Action.values()) {
      actions.add("**" + a + "**");
    }
    assertThat(actions).anyMatch(md::contains);
  }
}
